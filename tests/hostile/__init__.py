"""Hostile input: generated requests, the authorisation matrix, malicious JSON and uploads."""
