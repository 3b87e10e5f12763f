"""Published evidence: Strategic Assessment runs and monthly packs, read inside the app."""
