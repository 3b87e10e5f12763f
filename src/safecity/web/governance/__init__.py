"""Data governance in the app (issue #16): the register of sources, the quarterly returns
tracker with reminders, and the audit log export for a data protection officer.

The register stays the YAML files in the warehouse folder (``engine/governance/register.py``):
these pages read and save them through the engine, never a copy in the app database."""
