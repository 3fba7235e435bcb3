"""Benchmarks time each command alone (LETTERSMITH_SERVER=0) unless they start a
server of their own on purpose (test_bench_merge.py's one-letter rows), so a server a
developer has running never hides a command's cost."""
import os

os.environ["LETTERSMITH_SERVER"] = "0"
