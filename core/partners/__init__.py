"""Partner bodies, protocols with them, and reporting lines."""
