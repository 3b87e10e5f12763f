"""Third-party hate reporting: a public form, reporting centres and the coordinator's triage."""
