"""Accounts: users, roles and area scope, login/logout, password changes."""
