"""A council's strategy and its priorities."""
