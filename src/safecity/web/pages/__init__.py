"""Public pages: home, accessibility statement, cookies and privacy."""
