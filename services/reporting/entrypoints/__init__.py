"""Reporting's processes: the HTTP API and the consumer."""
