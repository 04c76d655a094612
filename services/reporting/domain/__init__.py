"""Reporting's pure domain: lifecycle fold, report arithmetic, hash-chain audit."""
