"""The office's rules, in plain Python: no Flask requests in here."""
