"""Statistics over graded work: accuracy toward the benchmark, item analysis, review sampling."""
