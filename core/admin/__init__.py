"""The admin: where panel administrators run their panel, for their own councils only."""
