"""Benchmark: importing operational data and computing the metric catalog (issue 4).

At 10 million calls for a quarter, with the tickets, surveys and QA records the synthetic
generator makes in proportion (about 1 complaint, 18 surveys and 2 QA evaluations per 100
answered calls), it measures:

- import: each source file into an empty lake, in rows per second (target: 10 M calls
  in under 60 s);
- catalog: every metric for every subject for the quarter (target: under 20 s) and the
  peak memory of the process doing it (target: under 2 GB);
- call metrics: kaohe's catalog over the calls alone against one hand-written DuckDB query
  computing the same call metrics over the same Parquet files (target: within 1.5×).

Each measurement runs in a fresh process, so that its peak memory is its own; the figures
are medians over rounds, because these machines are noisy. The generated files are kept
under var/bench/ and reused. The figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, tzinfo=ZONE)  # after the generated quarter
FIRST, LAST = date(2026, 7, 1), date(2026, 9, 30)
CALLS_PER_AGENT_QUARTER = 3_160  # what the generator makes for one agent in 2026-Q3
SOURCES = ("calls", "tickets", "surveys", "qa")
TARGETS = {"import_seconds": 60, "catalog_seconds": 20, "catalog_peak_mb": 2048, "ratio": 1.5}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- the measured steps, each run in its own process ------------------------------------


def step_import(data: Path, lake_root: Path) -> dict[str, object]:
    from kaohe.metrics import ImportOptions, Lake, import_file

    shutil.rmtree(lake_root, ignore_errors=True)
    lake = Lake(lake_root)
    seconds, rows = {}, {}
    for source in SOURCES:
        started = time.perf_counter()
        batch = import_file(
            lake, source, data / f"{source}.csv", f"{source}.csv", ImportOptions(zone=ZONE, now=NOW)
        )
        seconds[source] = time.perf_counter() - started
        rows[source] = batch.accepted
    return {"seconds": seconds, "rows": rows, "peak_mb": peak_mb()}


def step_catalog(lake_root: Path) -> dict[str, object]:
    from kaohe.metrics import CatalogOptions, Lake, compute, parse_period

    started = time.perf_counter()
    values = compute(Lake(lake_root), parse_period("2026-Q3"), CatalogOptions(zone=ZONE, now=NOW))
    return {"seconds": time.perf_counter() - started, "values": len(values), "peak_mb": peak_mb()}


def step_kaohe_calls(lake_root: Path) -> dict[str, object]:
    """The catalog over a lake holding the calls only: the call metrics, as kaohe makes them."""
    from kaohe.metrics import CatalogOptions, Lake, compute, parse_period

    calls_only = lake_root.parent / "calls-only"
    if not (calls_only / "calls").exists():
        calls_only.mkdir(parents=True, exist_ok=True)
        (calls_only / "calls").symlink_to(lake_root / "calls")
    started = time.perf_counter()
    values = compute(Lake(calls_only), parse_period("2026-Q3"), CatalogOptions(zone=ZONE, now=NOW))
    seconds = time.perf_counter() - started
    org = {v.metric: v for v in values if v.subject_type == "org"}
    check = [
        org["answer_rate"].numerator, org["answer_rate"].denominator,
        org["fcr_rate"].numerator, org["fcr_rate"].denominator,
    ]  # fmt: skip
    return {"seconds": seconds, "values": len(values), "peak_mb": peak_mb(), "check": check}


HAND_WRITTEN = """
WITH inbound AS (
    SELECT queue, agent_id, customer_id, offered_at, answered_at, ended_at,
           coalesce(wrap_seconds, 0) AS wrap
    FROM read_parquet('{files}') WHERE direction = 'inbound'
),
followed AS (
    SELECT q.*, n.offered_at AS next_offered,
           epoch(q.answered_at) - epoch(q.offered_at) AS wait,
           epoch(q.ended_at) - epoch(q.answered_at) AS talk
    FROM (
        SELECT * FROM inbound
        WHERE offered_at >= TIMESTAMPTZ '2026-07-01 00:00:00+08'
          AND offered_at < TIMESTAMPTZ '2026-10-01 00:00:00+08'
    ) q
    ASOF LEFT JOIN (SELECT customer_id, offered_at FROM inbound WHERE customer_id IS NOT NULL) n
      ON q.customer_id = n.customer_id AND n.offered_at > q.ended_at
)
SELECT grouping(queue) = 0 AS by_queue, grouping(agent_id) = 0 AS by_agent, queue, agent_id,
       count(answered_at) AS answered,
       count(*) FILTER (WHERE answered_at IS NOT NULL
           OR epoch(ended_at) - epoch(offered_at) > 5) AS base,
       count(*) FILTER (WHERE answered_at IS NULL
           AND epoch(ended_at) - epoch(offered_at) > 5) AS abandoned,
       count(*) FILTER (WHERE wait <= 20) AS within_20s,
       avg(wait) AS asa, avg(talk) AS talk, avg(talk + wrap) AS aht,
       count(answered_at) FILTER (WHERE customer_id IS NOT NULL) AS fcr_base,
       count(answered_at) FILTER (WHERE customer_id IS NOT NULL
           AND (next_offered IS NULL OR next_offered > ended_at + INTERVAL 168 HOUR)) AS fcr
FROM followed
GROUP BY GROUPING SETS ((queue), (agent_id), ())
"""


def step_hand_written(lake_root: Path) -> dict[str, object]:
    """One query, written for this one job, over the same Parquet files."""
    import duckdb

    files = sorted((lake_root / "calls").glob("batch-*.parquet"))
    assert len(files) == 1, "the benchmark imports the calls as one batch"
    started = time.perf_counter()
    with duckdb.connect() as connection:
        result = connection.execute(HAND_WRITTEN.format(files=files[0].as_posix()))
        names = [column[0] for column in result.description]
        rows = [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    seconds = time.perf_counter() - started
    org = next(row for row in rows if not row["by_queue"] and not row["by_agent"])
    check = [org["answered"], org["base"], org["fcr"], org["fcr_base"]]
    return {"seconds": seconds, "values": len(rows), "peak_mb": peak_mb(), "check": check}


STEPS = {
    "import": step_import,
    "catalog": step_catalog,
    "kaohe-calls": step_kaohe_calls,
    "hand-written": step_hand_written,
}


# --- the driver --------------------------------------------------------------------------


def prepare(calls: int) -> Path:
    """The generated source files for about ``calls`` calls, made once and kept."""
    data = ROOT / "var" / "bench" / f"data-{calls}"
    done = data / "counts.json"
    if done.is_file():
        return data
    from kaohe.metrics._synthetic import Staff, generate

    agents = max(1, round(calls / CALLS_PER_AGENT_QUARTER))
    staff = [Staff(f"A{i:05d}", "agent", f"Q{i % 24:02d}") for i in range(agents)]
    print(f"generating about {calls:,} calls for {agents:,} agents (once) …", flush=True)
    started = time.perf_counter()
    _files, counts = generate(data, staff, FIRST, LAST)
    done.write_text(json.dumps(vars(counts)))
    print(f"  {counts.calls:,} calls generated in {time.perf_counter() - started:.0f} s")
    return data


def run_step(name: str, *paths: Path) -> dict[str, object]:
    command = [sys.executable, __file__, "--step", name, *map(str, paths)]
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def median_of(results: list[dict[str, object]], key: str) -> float:
    return statistics.median(float(result[key]) for result in results)  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *paths = args.step
        print(json.dumps(STEPS[name](*map(Path, paths))))
        return
    data = prepare(args.calls)
    lake = ROOT / "var" / "bench" / f"lake-{args.calls}" / "lake"
    print(f"operational data, {os.cpu_count()} cores, median of {args.rounds} rounds")

    imports = [run_step("import", data, lake) for _ in range(args.rounds)]
    rows = imports[0]["rows"]
    assert isinstance(rows, dict)
    print(f"  import into an empty lake ({', '.join(f'{rows[s]:,} {s}' for s in SOURCES)}):")
    for source in SOURCES:
        times = [float(r["seconds"][source]) for r in imports]  # type: ignore[index]
        seconds = statistics.median(times)
        print(
            f"    {source:8} median {seconds:6.1f} s  {rows[source] / seconds:>12,.0f} rows/s"
            f"  (min {min(times):.1f}, max {max(times):.1f})"
        )
    calls_seconds = statistics.median(float(r["seconds"]["calls"]) for r in imports)  # type: ignore[index]
    per_10m = calls_seconds * 10_000_000 / rows["calls"]
    print(f"    10 M calls would take {per_10m:.1f} s (target < {TARGETS['import_seconds']} s)")
    print(f"    peak memory {median_of(imports, 'peak_mb'):,.0f} MB")

    catalog = [run_step("catalog", lake) for _ in range(args.rounds)]
    print(
        f"  full catalog for 2026-Q3 ({catalog[0]['values']:,} values): "
        f"median {median_of(catalog, 'seconds'):.1f} s "
        f"(min {min(float(r['seconds']) for r in catalog):.1f}, "  # type: ignore[arg-type]
        f"max {max(float(r['seconds']) for r in catalog):.1f}; target < 20 s), "  # type: ignore[arg-type]
        f"peak memory {median_of(catalog, 'peak_mb'):,.0f} MB (target < 2,048 MB)"
    )

    kaohe, hand = [], []
    for _ in range(args.rounds):  # alternate, so that both see the same machine
        kaohe.append(run_step("kaohe-calls", lake))
        hand.append(run_step("hand-written", lake))
    # The two must agree, or the comparison means nothing.
    assert [float(x) for x in kaohe[0]["check"]] == [float(x) for x in hand[0]["check"]], (  # type: ignore[attr-defined]
        kaohe[0]["check"],
        hand[0]["check"],
    )
    ratio = median_of(kaohe, "seconds") / median_of(hand, "seconds")
    ratios = [float(k["seconds"]) / float(h["seconds"]) for k, h in zip(kaohe, hand, strict=True)]  # type: ignore[arg-type]
    print(
        f"  call metrics: kaohe median {median_of(kaohe, 'seconds'):.2f} s, hand-written "
        f"query median {median_of(hand, 'seconds'):.2f} s: {ratio:.2f}× (target ≤ 1.5×; "
        f"round by round {min(ratios):.2f}–{max(ratios):.2f}×)"
    )


if __name__ == "__main__":
    main()
