"""Engine benchmark: prints figures, asserts nothing (speed is measured here, never in tests).

For all five policies:
  1. one evaluation with full explanation (facts → flatten → explained result tree), median ms;
  2. the batch status matrix for 10,000 synthetic spaces (wall s, peak MB of a fresh process
     that loads the population from Parquet and evaluates it);
  3. the ratio of batch to one-by-one: the one-by-one path (explained results, same context)
     is timed on a sample and extrapolated to the population.

Run: make bench   (or: .venv/bin/python benchmarks/bench_engine.py [--spaces N])
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from zhongchuang.engine.batch import to_frames
from zhongchuang.engine.context import build_context
from zhongchuang.engine.evaluate import evaluate, evaluate_tables
from zhongchuang.engine.policy import load_policy, policy_ids
from zhongchuang.facts.tables import flatten
from zhongchuang.synth import generate_facts

ROOT = Path(__file__).resolve().parents[1]


def single_evaluation_ms(policy_id: str, runs: int = 200) -> float:
    facts = next(generate_facts(1, seed=42))
    policy = load_policy(policy_id)
    evaluate(facts, policy)  # warm the compiled row sets
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        evaluate(facts, policy, with_fallback=False)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


BATCH_CHILD = """
import json, sys, time
import polars as pl
from zhongchuang.engine.batch import status_matrix, status_matrices
from zhongchuang.engine.context import build_context
from zhongchuang.engine.policy import load_policy
folder, policies = sys.argv[1], sys.argv[2].split(",")
start = time.perf_counter()
frames = {path.stem: pl.read_parquet(path) for path in __import__("pathlib").Path(folder).glob("*.parquet")}
loaded = time.perf_counter()
per_policy = {}
for policy_id in policies:
    policy = load_policy(policy_id)
    t = time.perf_counter()
    status_matrix(frames, policy, build_context(policy, as_of=__import__("datetime").date(2025, 3, 21)))
    per_policy[policy_id] = time.perf_counter() - t
separate = time.perf_counter()
loaded_policies = [load_policy(p) for p in policies]
contexts = [build_context(p, as_of=__import__("datetime").date(2025, 3, 21)) for p in loaded_policies]
status_matrices(frames, loaded_policies, contexts)
done = time.perf_counter()
# VmHWM is this process's own peak (ru_maxrss would include the parent's, inherited through fork)
peak_kb = int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1])
print(json.dumps({"load_s": loaded - start, "evaluate_s": done - separate, "separate_s": separate - loaded,
                  "per_policy": per_policy,
                  "peak_mb": peak_kb / 1024}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spaces", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=300, help="spaces timed one by one, then extrapolated")
    args = parser.parse_args()
    policies = sorted(policy_ids())

    print(f"machine: {os.cpu_count()} cores, python {sys.version.split()[0]}")
    print("\n1. One evaluation with full explanation (median of 200, ms)")
    for policy_id in policies:
        print(f"   {policy_id:28} {single_evaluation_ms(policy_id):7.2f} ms")

    print(f"\n2. Batch status matrix for {args.spaces:,} spaces × {len(policies)} policies")
    start = time.perf_counter()
    facts = list(generate_facts(args.spaces, seed=2025))
    generated = time.perf_counter()
    tables = [flatten(f, f"s{i:05d}") for i, f in enumerate(facts)]
    frames = to_frames(tables)
    flattened = time.perf_counter()
    rows = sum(frame.height for frame in frames.values())
    print(
        f"   population: generate {generated - start:.1f} s, flatten to frames {flattened - generated:.1f} s, "
        f"{rows:,} rows ({frames['incubatees'].height:,} incubatees, {frames['activities'].height:,} activities)"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, frame in frames.items():
            frame.write_parquet(Path(folder) / f"{name}.parquet")
        child = subprocess.run(
            [sys.executable, "-c", BATCH_CHILD, folder, ",".join(policies)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    batch = json.loads(child.stdout)
    for policy_id, seconds in batch["per_policy"].items():
        print(f"   {policy_id:28} {seconds:7.3f} s")
    print(f"   one after another: {batch['separate_s']:.3f} s")
    print(
        f"   all {len(policies)} policies in one polars run: {batch['evaluate_s']:.3f} s wall "
        f"(Parquet load {batch['load_s']:.3f} s not included), "
        f"peak {batch['peak_mb']:.0f} MB for the evaluating process"
    )

    print(
        f"\n3. Batch vs one by one (explained results, {args.sample} spaces timed, extrapolated to {args.spaces:,})"
    )
    sample = tables[: args.sample]
    one_by_one = 0.0
    for policy_id in policies:
        policy = load_policy(policy_id)
        context = build_context(policy, as_of=__import__("datetime").date(2025, 3, 21))
        start = time.perf_counter()
        for space in sample:
            evaluate_tables(space, policy, context)
        one_by_one += time.perf_counter() - start
    extrapolated = one_by_one * args.spaces / len(sample)
    print(
        f"   one by one: {one_by_one / (len(sample) * len(policies)) * 1000:.2f} ms per space and policy, "
        f"≈ {extrapolated:.1f} s for the population"
    )
    print(
        f"   batch / one-by-one = {batch['evaluate_s'] / extrapolated:.4f}  (batch is {extrapolated / batch['evaluate_s']:.0f}× faster)"
    )
    print(
        f"   bench process peak RSS (population held in memory): "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )


if __name__ == "__main__":
    main()
