"""Papers: the progress-update paper (DOCX, PDF, HTML) and the scorecard export (XLSX)."""
