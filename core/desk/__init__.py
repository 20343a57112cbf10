"""The clerk's desk (what needs doing before each panel's next meeting, and what is late)
and "My actions" (the action-plan actions a contributor owns)."""
