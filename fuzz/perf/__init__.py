"""How fast, not how correct: the proposal's benchmark, the slowness hunt, the fuzzer's own throughput."""
