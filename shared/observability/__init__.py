"""Logs, traces and what they carry: one place sets each up for every process."""
