"""Community Partnership Intelligence (CPI): partners submit what they saw; analysts triage it."""
