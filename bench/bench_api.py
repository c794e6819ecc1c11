"""Benchmark: the API at 20,000 appraisals.

Targets (issue 10): ``GET /api/v1/appraisals/{id}`` — everything the appraisal page shows,
read with an access token — with a 95th percentile under 100 ms; and ``POST
/api/v1/data/calls`` taking 100,000 calls at no less than half the rate of importing the
same calls as a file.

The organisation, cycle and database are those of ``bench/bench_cycle.py`` (built here if
that benchmark has not left them). The read is measured with wrk on loopback against
gunicorn (2 workers), opening appraisals at random, at 4 and 20 connections, as the pages
were. The push sends a CSV of 100,000 new calls to the same gunicorn; the file import
imports another 100,000 new calls in-process, as ``kaohe data import`` does; rounds
alternate, each with calls the lake has not seen. The per-token rate limit is lifted for
the run. Medians over rounds; the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_cycle as cycle  # the organisation and the load helpers

HEADER = "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,wrap_seconds"


def built() -> tuple[int, int]:
    """The 20,000 appraisals, moved along as a quarter under way; their id range."""
    fresh = cycle.setup(20_000, reuse=True)
    if fresh:
        cycle.launch_rounds(1)
        cycle.store_metrics()
        cycle.move_the_cycle_along()
        (cycle.HOME / "built").touch()
    from kaohe.appraisals.models import Appraisal

    ids = list(Appraisal.objects.values_list("pk", flat=True))
    return min(ids), max(ids)


def token(scope: str) -> str:
    from django.contrib.auth import get_user_model

    from kaohe.tokens.actions import do_create_token
    from kaohe.tokens.models import TokenScope

    hr = get_user_model().objects.get(username="hr")
    return do_create_token(None, hr, f"bench {scope}", TokenScope(scope)).secret


def write_calls(path: Path, rows: int, tag: str) -> Path:
    """``rows`` calls no earlier run has sent (their ids carry ``tag``), spread over the
    agents of the organisation and September's days."""
    from kaohe.org.models import Employee

    agents = list(Employee.objects.filter(number__startswith="A").values_list("number", flat=True))
    lines = [HEADER]
    for n in range(rows):
        day, minute = 1 + n % 30, n // 30 % 600
        at = f"2026-09-{day:02d} {8 + minute // 60:02d}:{minute % 60:02d}"
        lines.append(
            f"{tag}-{n},inbound,Q{n % 24},{agents[n % len(agents)]},K{n % 90_000},"
            f"{at}:00,{at}:12,{at}:59,{n % 40}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def file_import(path: Path) -> float:
    from django.contrib.auth import get_user_model

    from kaohe.data.actions import do_import_data

    hr = get_user_model().objects.get(username="hr")
    started = time.perf_counter()
    outcome = do_import_data(hr, "calls", path, path.name)
    took = time.perf_counter() - started
    assert outcome.accepted > 0, outcome
    return took


def push(port: int, secret: str, path: Path) -> float:
    body = path.read_bytes()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    connection.request("POST", "/api/v1/data/calls", body=body, headers={
        "Authorization": f"Bearer {secret}", "Content-Type": "text/csv",
    })  # fmt: skip
    response = connection.getresponse()
    answer = response.read()
    took = time.perf_counter() - started
    assert response.status == 201, (response.status, answer[:500])
    return took


def measure_reads(port: int, server, span: tuple[int, int], args: argparse.Namespace) -> None:
    page = cycle.Page(
        "GET /api/v1/appraisals/{id}", '"/api/v1/appraisals/" .. math.random(low, high)', 100
    )
    header = f"Authorization: Bearer {token('read')}"
    for connections in args.clients:
        cycle.load(port, header, page, span, 3, connections)  # warm up both workers
        runs = []
        for _ in range(args.rounds):
            used = cycle.server_seconds(server)
            measured = cycle.load(port, header, page, span, args.seconds, connections)
            runs.append(cycle.Round(*measured, cycle.server_seconds(server) - used))
        cycle.report(page, connections, runs, args)


def measure_push(port: int, args: argparse.Namespace) -> None:
    secret = token("data")
    folder = cycle.HOME / "api-bench"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    stamp = f"{time.time_ns():x}"
    files, pushes = [], []
    for round_ in range(args.rounds):
        as_file = write_calls(folder / f"file-{round_}.csv", args.calls, f"F{stamp}{round_}")
        files.append(file_import(as_file))
        pushed = write_calls(folder / f"push-{round_}.csv", args.calls, f"P{stamp}{round_}")
        pushes.append(push(port, secret, pushed))
    size = (folder / "push-0.csv").stat().st_size / 1e6
    file_rate = args.calls / statistics.median(files)
    push_rate = args.calls / statistics.median(pushes)
    print(
        f"  {args.calls:,} calls ({size:.1f} MB): file import median "
        f"{statistics.median(files):.2f} s = {file_rate:,.0f} calls/s "
        f"({', '.join(f'{s:.2f}' for s in files)} s); push median "
        f"{statistics.median(pushes):.2f} s = {push_rate:,.0f} calls/s "
        f"({', '.join(f'{s:.2f}' for s in pushes)} s); push ÷ file = "
        f"{push_rate / file_rate:.2f} (target ≥ 0.5)",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument(
        "--clients", type=lambda text: [int(n) for n in text.split(",")], default=[4, 20]
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk; run make setup)")
    os.environ["KAOHE_API_REQUESTS_PER_MINUTE"] = str(10**9)  # for gunicorn: no limit here
    span = built()
    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {cycle.database_name()}; "
        f"{span[1] - span[0] + 1:,} appraisal ids; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    port = cycle.free_port()
    server = cycle.serve(port)
    try:
        measure_reads(port, server, span, args)
        measure_push(port, args)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
