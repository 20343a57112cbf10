"""Panels and boards, their seats, and the people who fill them."""
