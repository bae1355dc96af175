"""Synthetic demonstration data (a fictional town and its residents); no database access here."""
