"""Accounts, roles held per council, logging in, and every permission check in one place."""
