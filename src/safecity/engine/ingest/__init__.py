"""Readers: one adapter per source, each loading into the warehouse through one transaction."""
