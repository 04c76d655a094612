"""Benchmarks of antt, each against a ceiling measured in the same run."""
