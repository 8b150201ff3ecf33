"""How long the benchmarks time each measurement (shared by run_bench.py
and gemm_bench.py, so that both follow one rule)."""

# Each measurement times at least this long after at least WARMUP_MS of
# warm-up: a kernel of a fraction of a millisecond timed over 20 runs read
# up to 2x slow while the machine settled from the process before it.
TIMED_MS = 500
WARMUP_MS = 300


def run_counts(estimate_ms, min_runs, min_warmup):
    """Timed and warm-up run counts for a program whose run takes about
    `estimate_ms`: at least `min_runs` and `min_warmup`, and at least
    TIMED_MS timed after WARMUP_MS of warm-up."""
    estimate_ms = max(estimate_ms, 1e-3)
    return (max(min_runs, int(TIMED_MS / estimate_ms)),
            max(min_warmup, int(WARMUP_MS / estimate_ms)))
