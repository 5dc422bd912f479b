"""Benchmarks of SPEC section 11 (run with `make bench`; kept out of the default test run)."""
