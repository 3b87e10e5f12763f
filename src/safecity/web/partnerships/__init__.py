"""Agencies, people's memberships and roles, access helpers and the audit log."""
