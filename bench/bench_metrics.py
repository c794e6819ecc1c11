"""Benchmark: importing operational data and computing the metric catalog (issue 4).

At 10 million calls for a quarter, with the tickets, surveys and QA records the synthetic
generator makes in proportion (about 1 complaint, 18 surveys and 2 QA evaluations per 100
answered calls), it measures:

- import: each source file into an empty lake, in rows per second (target: 10 M calls
  in under 60 s);
- catalog: every metric for every subject for the quarter (target: under 20 s) and the
  peak memory of the process doing it (target: under 2 GB);
- call metrics: kaohe's catalog over the calls alone against one hand-written DuckDB query
  computing the same call metrics over the same Parquet files (target: within 1.5×);
- transcripts (issue 14): 100,000 transcribed calls of about 10 turns each imported with a
  fake keyword scorer standing in for the sentiment model (the time spent in the scorer is
  reported apart, so the import's own cost is the rest), then with the real model (what a
  site's import costs: the model loaded, every turn scored), then the per-call sentiment
  figures and the catalog over the calls and their transcripts, against the catalog over
  the calls alone.

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
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, tzinfo=ZONE)  # after the generated quarter
FIRST, LAST = date(2026, 7, 1), date(2026, 9, 30)
CALLS_PER_AGENT_QUARTER = 3_160  # what the generator makes for one agent in 2026-Q3
SOURCES = ("calls", "tickets", "surveys", "qa")
ANSWERED = 0.9  # about this share of the generated calls is answered, each transcribed
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


def fake_scorer(texts: Sequence[str]) -> list[float | None]:
    """Stands in for the sentiment model: a few words decide, at no cost worth measuring."""
    upset = ("投诉", "失望", "不满意", "生气", "怎么回事", "没解决", "没有办法")
    return [0.1 if any(word in text for word in upset) else 0.8 for text in texts]


def step_transcripts_import(
    data: Path, lake_root: Path, with_model: bool = False
) -> dict[str, object]:
    """The calls, then their transcripts scored by the fake scorer (or the real model,
    loaded inside the measured time as a site's first import loads it), into an empty lake."""
    from kaohe.metrics import ImportOptions, Lake, import_file

    shutil.rmtree(lake_root, ignore_errors=True)
    lake = Lake(lake_root)
    import_file(lake, "calls", data / "calls.csv", "calls.csv", ImportOptions(zone=ZONE, now=NOW))
    scoring = [0.0]
    started = time.perf_counter()
    if with_model:
        from kaohe.ml import sentiment

        model = sentiment.load()
        score, version = model.scores, model.version
    else:
        score, version = fake_scorer, "fake"
    load_seconds = time.perf_counter() - started

    def timed_scorer(texts: Sequence[str]) -> Sequence[float | None]:
        started = time.perf_counter()
        scores = score(texts)
        scoring[0] += time.perf_counter() - started
        return scores

    options = ImportOptions(zone=ZONE, now=NOW, sentiment=timed_scorer, sentiment_version=version)
    batch = import_file(lake, "transcripts", data / "transcripts.csv", "transcripts.csv", options)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "scorer_seconds": scoring[0], "load_seconds": load_seconds,
            "rows": batch.accepted, "peak_mb": peak_mb()}  # fmt: skip


def step_call_sentiment(lake_root: Path) -> dict[str, object]:
    from kaohe.metrics import CatalogOptions, Lake, call_sentiment, parse_period

    started = time.perf_counter()
    calls = call_sentiment(
        Lake(lake_root), parse_period("2026-Q3"), CatalogOptions(zone=ZONE, now=NOW)
    )
    seconds = time.perf_counter() - started
    ended = sum(1 for call in calls if call.ended_negative)
    return {"seconds": seconds, "calls": len(calls), "ended_negative": ended, "peak_mb": peak_mb()}


def step_catalog_without(lake_root: Path, *left_out: str) -> dict[str, object]:
    """The catalog over a lake of the same batches with some sources left out."""
    from kaohe.metrics import CatalogOptions, Lake, compute, parse_period

    view = lake_root.parent / ("without-" + "-".join(left_out) if left_out else "all")
    view.mkdir(parents=True, exist_ok=True)
    for source in lake_root.iterdir():
        if source.name not in left_out and not (view / source.name).exists():
            (view / source.name).symlink_to(source)
    started = time.perf_counter()
    values = compute(Lake(view), parse_period("2026-Q3"), CatalogOptions(zone=ZONE, now=NOW))
    return {"seconds": time.perf_counter() - started, "values": len(values), "peak_mb": peak_mb()}


STEPS = {
    "import": step_import,
    "catalog": step_catalog,
    "kaohe-calls": step_kaohe_calls,
    "hand-written": step_hand_written,
    "transcripts-import": step_transcripts_import,
    "transcripts-import-model": lambda data, lake: step_transcripts_import(data, lake, True),
    "call-sentiment": step_call_sentiment,
    "catalog-with-transcripts": lambda lake: step_catalog_without(lake),
    "catalog-calls-only": lambda lake: step_catalog_without(lake, "transcripts"),
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
    _files, counts = generate(data, staff, FIRST, LAST, transcript_share=0)
    done.write_text(json.dumps(vars(counts)))
    print(f"  {counts.calls:,} calls generated in {time.perf_counter() - started:.0f} s")
    return data


def prepare_transcripts(transcribed: int) -> Path:
    """Generated calls every answered one of which has a transcript, about ``transcribed``
    of them, made once and kept."""
    data = ROOT / "var" / "bench" / f"transcripts-{transcribed}"
    if (data / "counts.json").is_file():
        return data
    from kaohe.metrics._synthetic import Staff, generate

    agents = max(1, round(transcribed / ANSWERED / CALLS_PER_AGENT_QUARTER))
    staff = [Staff(f"A{i:05d}", "agent", f"Q{i % 6:02d}") for i in range(agents)]
    print(f"generating about {transcribed:,} transcribed calls (once) …", flush=True)
    started = time.perf_counter()
    _files, counts = generate(data, staff, FIRST, LAST, transcript_share=1.0)
    (data / "counts.json").write_text(json.dumps(vars(counts)))
    print(f"  {counts.transcripts:,} turns generated in {time.perf_counter() - started:.0f} s")
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
    parser.add_argument("--transcribed", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--part", choices=("all", "calls", "transcripts"), default="all")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *paths = args.step
        print(json.dumps(STEPS[name](*map(Path, paths))))
        return
    if args.part in ("all", "calls"):
        bench_calls(args.calls, args.rounds)
    if args.part in ("all", "transcripts"):
        bench_transcripts(args.transcribed, args.rounds)


def bench_transcripts(transcribed: int, rounds: int) -> None:
    data = prepare_transcripts(transcribed)
    lake = ROOT / "var" / "bench" / f"transcripts-lake-{transcribed}" / "lake"
    print(f"transcripts, {os.cpu_count()} cores, median of {rounds} rounds")
    imports = [run_step("transcripts-import", data, lake) for _ in range(rounds)]
    rows = int(imports[0]["rows"])  # type: ignore[call-overload]
    seconds, scorer = median_of(imports, "seconds"), median_of(imports, "scorer_seconds")
    print(
        f"  import {rows:,} turns with the fake scorer: median {seconds:.1f} s "
        f"({rows / seconds:,.0f} turns/s; {scorer:.1f} s of it in the scorer), "
        f"peak memory {median_of(imports, 'peak_mb'):,.0f} MB"
    )
    # Last, so that the lake the figures below read holds the model's scores.
    imports = [run_step("transcripts-import-model", data, lake) for _ in range(rounds)]
    seconds, scorer = median_of(imports, "seconds"), median_of(imports, "scorer_seconds")
    print(
        f"  import {rows:,} turns with the sentiment model: median {seconds:.1f} s "
        f"({rows / seconds:,.0f} turns/s; {scorer:.1f} s of it in the model, "
        f"{median_of(imports, 'load_seconds'):.2f} s loading it), "
        f"peak memory {median_of(imports, 'peak_mb'):,.0f} MB"
    )
    figures = [run_step("call-sentiment", lake) for _ in range(rounds)]
    print(
        f"  per-call sentiment for 2026-Q3 ({figures[0]['calls']:,} calls, "
        f"{figures[0]['ended_negative']:,} ending negative): median "
        f"{median_of(figures, 'seconds'):.2f} s, "
        f"peak memory {median_of(figures, 'peak_mb'):,.0f} MB"
    )
    with_them, without = [], []
    for _ in range(rounds):  # alternate, so that both see the same machine
        with_them.append(run_step("catalog-with-transcripts", lake))
        without.append(run_step("catalog-calls-only", lake))
    extra = median_of(with_them, "seconds") - median_of(without, "seconds")
    print(
        f"  catalog over the calls and transcripts: median {median_of(with_them, 'seconds'):.2f} s "
        f"({with_them[0]['values']:,} values) against {median_of(without, 'seconds'):.2f} s for "
        f"the calls alone: the sentiment metrics add {extra:.2f} s"
    )


def bench_calls(calls: int, rounds: int) -> None:
    data = prepare(calls)
    lake = ROOT / "var" / "bench" / f"lake-{calls}" / "lake"
    print(f"operational data, {os.cpu_count()} cores, median of {rounds} rounds")

    imports = [run_step("import", data, lake) for _ in range(rounds)]
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

    catalog = [run_step("catalog", lake) for _ in range(rounds)]
    print(
        f"  full catalog for 2026-Q3 ({catalog[0]['values']:,} values): "
        f"median {median_of(catalog, 'seconds'):.1f} s "
        f"(min {min(float(r['seconds']) for r in catalog):.1f}, "  # type: ignore[arg-type]
        f"max {max(float(r['seconds']) for r in catalog):.1f}; target < 20 s), "  # type: ignore[arg-type]
        f"peak memory {median_of(catalog, 'peak_mb'):,.0f} MB (target < 2,048 MB)"
    )

    kaohe, hand = [], []
    for _ in range(rounds):  # alternate, so that both see the same machine
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
