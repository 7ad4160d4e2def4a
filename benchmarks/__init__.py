"""Benchmark scripts; a package so that tests can reuse the synthetic knowledge-base generator."""
