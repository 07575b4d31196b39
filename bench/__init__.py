"""Benchmarks and the scale data generator (DESIGN.md section 8: bounded queries, ratios in one run)."""
