"""Reporting use cases: the consumer's log keeping and the read-side queries."""
