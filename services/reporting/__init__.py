"""The reporting service: reports, unit histories and the audit of the hash chains."""
