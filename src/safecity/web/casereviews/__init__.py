"""The ASB Case Review (the "Community Trigger", Anti-social Behaviour, Crime and Policing Act 2014 s.104 and Sch 4)."""
