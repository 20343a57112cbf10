"""Pledges or promises, their actions, and the progress reported on those actions."""
