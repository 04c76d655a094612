"""Reporting's database tables, repository and export formats."""
