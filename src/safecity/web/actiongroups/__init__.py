"""Partnership Action Groups: each policing sector's problem-solving group (web/actiongroups)."""
