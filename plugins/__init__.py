"""Reference council plugins carried with the toolkit."""
