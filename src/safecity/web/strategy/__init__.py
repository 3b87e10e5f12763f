"""Strategies, priorities, actions, reporting cycles and lead-agency updates with versions."""
