"""Organisations (operators and bureaus), their members and roles, registration and invitations."""
