"""Benchmark: launching a cycle for 20,000 employees, and HR's pages under load.

Targets: the launch in under 30 s; with 20,000 appraisals in the database, the
95th-percentile response time of the appraisal page (issue 5) and of the appraisal list —
its first page, and a page filtered by state — under 150 ms, and of the scheme library
and the new-cycle page under 100 ms. Each page is measured with wrk on loopback against
gunicorn (2 workers), signed in as an HR admin for the whole organisation (the appraisal
page opening appraisals at random), at two loads: 4 concurrent connections, as the
appraisal page was first measured, and 20, the load at which the list was reported to
collapse. SQLite under a throwaway KAOHE_HOME, or PostgreSQL when DATABASE_URL is set
(``scripts/with-postgres.sh .venv/bin/python bench/bench_cycle.py``). Medians over
rounds, and gunicorn's CPU time per request, which the machine's other load inflates far
less than it does the latencies; the figures go in docs/benchmarks.md.

The appraisal page is measured on the freshly launched cycle (every appraisal a draft, as
in its first figures). The cycle is then moved along as a quarter under way looks — every
state, a locked result with its trace for those finalised or later — before the list is
measured; and the list is also timed in-process for each kind of reader (HR for the whole
organisation, HR for one centre, the director, a team lead, an agent) with its queries.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parent.parent
# This checkout's kaohe, here and in gunicorn, rather than whichever the virtualenv's
# editable install points at.
sys.path.insert(0, str(ROOT))
# A PostgreSQL run keeps its files apart, so that it leaves a reusable SQLite home alone.
HOME = (
    ROOT / "var" / "bench" / ("cycle-home-pg" if os.environ.get("DATABASE_URL") else "cycle-home")
)
TEAM = 40  # agents per team lead
PASSWORD = "bench-password-1"
# The readers timed in-process: username → what they are.
READERS = {
    "hr": "HR, whole organisation",
    "hr-centre": "HR, one centre",
    "director": "the director (everyone below)",
    "lead": "a team lead (40 reports)",
    "agent": "an agent",
}
# A quarter under way: the share of appraisals in each state.
STATE_MIX = {
    "draft": 8, "confirming": 8, "in_progress": 20, "self_assessment": 8,
    "manager_review": 10, "calibration": 8, "interview": 6, "acknowledgement": 6,
    "finalising": 6, "finalised": 12, "appeal": 2, "closed": 6,
}  # fmt: skip
WITH_RESULT = {"finalised", "appeal", "closed"}
FILTERED_STATE = "finalised"
WRK_SCRIPT = """
local low, high = {low}, {high}
request = function()
  return wrk.format("GET", {path})
end
response = function(status, headers, body)
  if status ~= 200 then print("status " .. status) end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.errors.status,
    latency:percentile(50), latency:percentile(95)))
end
"""


class Page(NamedTuple):
    label: str
    path: str  # a Lua expression; ``low`` and ``high`` are the appraisal ids
    target_ms: int


class Round(NamedTuple):
    requests: int
    errors: int
    p50: float  # ms
    p95: float
    cpu: float  # seconds of gunicorn's CPU over the round


def database_name() -> str:
    return "PostgreSQL" if os.environ.get("DATABASE_URL") else "SQLite"


def setup(employees: int, *, reuse: bool) -> bool:
    """A database with the organisation; True when it was made afresh."""
    fresh = not (reuse and (HOME / "built").exists()) or bool(os.environ.get("DATABASE_URL"))
    if fresh:
        shutil.rmtree(HOME, ignore_errors=True)
        HOME.mkdir(parents=True)
    os.environ.update(
        KAOHE_HOME=str(HOME), KAOHE_HTTPS="false", DJANGO_SETTINGS_MODULE="kaohe.settings"
    )
    from kaohe.cli.django import migrate, setup_django

    setup_django()
    migrate()  # also imports the built-in schemes
    if fresh:
        build_org(employees)
    return fresh


def build_org(employees: int) -> None:
    """企服部 → centres of ten teams → a lead and forty agents each; HR for the whole
    organisation and HR for the first centre; accounts for the director, the first lead
    and their first agent."""
    from django.contrib.auth import get_user_model

    from kaohe.org.models import AccessGrant, Department, Employee, GrantRole, Position, RoleFamily

    users = {
        name: get_user_model().objects.create_user(name, password=PASSWORD) for name in READERS
    }
    agent = Position.objects.create(name="客服专员", family=RoleFamily.CUSTOMER_SERVICE)
    lead = Position.objects.create(name="客服组长", family=RoleFamily.CUSTOMER_SERVICE)
    director = Position.objects.create(name="客服总监", family=RoleFamily.DIRECTOR)
    hr_position = Position.objects.create(name="绩效专员", family=RoleFamily.OTHER)
    root = Department.objects.create(name="企服部", path="企服部")
    hr_department = Department.objects.create(name="人力资源部", path="人力资源部")
    AccessGrant.objects.create(user=users["hr"], role=GrantRole.HR_ADMIN)
    for number, username in enumerate(("hr", "hr-centre"), 1):
        Employee.objects.create(
            number=f"H{number:04d}", name=f"绩效专员{number}", department=hr_department,
            position=hr_position, user=users[username],
        )  # fmt: skip
    head = Employee.objects.create(
        number="D0001", name="总监", department=root, position=director, user=users["director"]
    )
    teams = max(1, employees // (TEAM + 1))
    number = 0
    for team in range(teams):
        centre_path = f"企服部/中心{team // 10:03d}"
        centre, _made = Department.objects.get_or_create(
            path=centre_path, defaults={"name": centre_path.split("/")[-1], "parent": root}
        )
        team_department = Department.objects.create(
            name=f"组{team:04d}", path=f"{centre_path}/组{team:04d}", parent=centre
        )
        number += 1
        leader = Employee.objects.create(
            number=f"L{number:06d}", name=f"组长{number}", department=team_department,
            position=lead, manager=head, user=users["lead"] if team == 0 else None,
        )  # fmt: skip
        members = []
        for index in range(TEAM):
            number += 1
            members.append(Employee(
                number=f"A{number:06d}", name=f"坐席{number}", department=team_department,
                position=agent, manager=leader,
                user=users["agent"] if team == 0 and index == 0 else None,
            ))  # fmt: skip
        Employee.objects.bulk_create(members)
    scoped = AccessGrant.objects.create(user=users["hr-centre"], role=GrantRole.HR_ADMIN)
    scoped.departments.add(Department.objects.get(path="企服部/中心000"))


def launch_rounds(rounds: int) -> tuple[list[float], int]:
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.actions import CycleData, do_create_cycle
    from kaohe.appraisals.launch import start_launch
    from kaohe.appraisals.models import Appraisal, Cycle
    from kaohe.org.models import Department

    hr = get_user_model().objects.get(username="hr")
    root = Department.objects.get(path="企服部")
    seconds, made = [], 0
    for index in range(rounds):
        cycle = do_create_cycle(hr, CycleData(f"bench {index}", "2026-Q3", [root]))
        started = time.perf_counter()
        start_launch(cycle, wait=True)
        seconds.append(time.perf_counter() - started)
        made = Appraisal.objects.filter(cycle=cycle).count()
        if index < rounds - 1:  # keep one cycle: the page is measured with 20,000 in the database
            Appraisal.objects.filter(cycle=cycle).delete()
            Cycle.objects.filter(pk=cycle.pk).delete()
    return seconds, made


def store_metrics() -> None:
    """A metric value for every employee and metric, as `kaohe metrics` would leave them."""
    from kaohe.core import builtin_names, load_scheme
    from kaohe.data.models import MetricRecord, MetricRun
    from kaohe.org.models import Employee

    run = MetricRun.objects.create(period="2026-Q3")
    rng = random.Random(5)
    wanted = {s.metric for n in builtin_names() for s in load_scheme(n).inputs.values() if s.metric}
    numbers = list(Employee.objects.values_list("number", flat=True))
    for key in sorted(wanted, key=str):
        subjects = sorted({key.subject(number) for number in numbers})
        MetricRecord.objects.bulk_create(
            [MetricRecord(run=run, subject_type=key.subject_type, subject=subject,
                          metric=key.metric, value=rng.uniform(70, 99)) for subject in subjects],
            batch_size=5_000,
        )  # fmt: skip


def move_the_cycle_along() -> dict[str, int]:
    """Spread the appraisals over the states as a quarter under way, and lock a result —
    with a real trace, scored from the stored metrics and level-4 ratings — for each one
    finalised or later (a second version for one in five closed ones, as after an
    adjusted appeal). Returns how many appraisals are in each state."""
    from decimal import Decimal

    from django.db import transaction

    from kaohe.appraisals.actions import manual_inputs
    from kaohe.appraisals.models import Appraisal, Result
    from kaohe.appraisals.scoring import score_appraisal, trace_of

    rng = random.Random(9)
    states = list(STATE_MIX)
    ids = list(Appraisal.objects.order_by("pk").values_list("pk", flat=True))
    chosen = rng.choices(states, weights=list(STATE_MIX.values()), k=len(ids))
    by_state: dict[str, list[int]] = {state: [] for state in states}
    for pk, state in zip(ids, chosen, strict=True):
        by_state[state].append(pk)
    traces = {}  # a real trace per scheme version, for size
    for version_id in Appraisal.objects.order_by().values_list("version_id", flat=True).distinct():
        sample = Appraisal.objects.filter(version_id=version_id).first()
        assert sample is not None
        sample.ratings = dict.fromkeys(manual_inputs(sample), "4")
        scored = score_appraisal(sample)
        traces[version_id] = trace_of(scored, sample) if scored.result else {}
    versions = dict(Appraisal.objects.values_list("pk", "version_id"))
    with transaction.atomic():
        for state, pks in by_state.items():
            for start in range(0, len(pks), 900):
                Appraisal.objects.filter(pk__in=pks[start : start + 900]).update(state=state)
        results = []
        for state in WITH_RESULT:
            for pk in by_state[state]:
                total = Decimal(rng.randint(6000, 9800)) / 100
                versions_made = 2 if state == "closed" and rng.random() < 0.2 else 1
                for number in range(1, versions_made + 1):
                    results.append(Result(
                        appraisal_id=pk, number=number, total=total + number - 1, grade="B",
                        coefficient=Decimal("1.000"), pay=Decimal("3000.00"),
                        trace=traces[versions[pk]],
                    ))  # fmt: skip
        Result.objects.bulk_create(results, batch_size=2_000)
    return {state: len(pks) for state, pks in by_state.items()}


def client_for(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def session_cookie() -> str:
    return str(client_for("hr").cookies["sessionid"].value)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kaohe.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2"],
        env={**os.environ, "PYTHONPATH": path}, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def load(
    port: int, header: str, page: Page, ids: tuple[int, int], seconds: int, connections: int
) -> tuple[int, int, float, float]:
    """wrk on the page with this header (the session's cookie, or an API token)."""
    script = HOME / "pages.lua"
    script.write_text(WRK_SCRIPT.format(low=ids[0], high=ids[1], path=page.path))
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "20s", "-s",
         str(script), "-H", header, f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+)", output)
    assert found, output
    requests, errors, p50, p95 = map(int, found.groups())
    return requests, errors, p50 / 1000, p95 / 1000


def server_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time used so far by gunicorn and its workers (Linux), so that a figure per
    request can be quoted that the machine's other load does not inflate much."""
    pids = [server.pid]
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    if children.exists():
        pids += [int(pid) for pid in children.read_text().split()]
    used = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used += int(fields[11]) + int(fields[12])  # utime, stime
    return used / os.sysconf("SC_CLK_TCK")


def measure(pages: list[Page], ids: tuple[int, int], args: argparse.Namespace) -> None:
    """Each page under each load, round after round; prints a line per page and load."""
    cookie = f"Cookie: sessionid={session_cookie()}"
    port = free_port()
    server = serve(port)
    try:
        for page in pages:
            for connections in args.clients:
                load(port, cookie, page, ids, 3, connections)  # warm up both workers
                runs = []
                for _ in range(args.rounds):
                    used = server_seconds(server)
                    measured = load(port, cookie, page, ids, args.seconds, connections)
                    runs.append(Round(*measured, server_seconds(server) - used))
                report(page, connections, runs, args)
    finally:
        server.terminate()
        server.wait()


def report(page: Page, connections: int, runs: list[Round], args: argparse.Namespace) -> None:
    p50 = statistics.median(r.p50 for r in runs)
    p95 = statistics.median(r.p95 for r in runs)
    requests = sum(r.requests for r in runs)
    cpu = statistics.median(1000 * r.cpu / max(1, r.requests) for r in runs)
    print(
        f"  {page.label}, {connections} clients ({args.seconds} s × {args.rounds}): "
        f"median p50 {p50:.0f} ms, p95 {p95:.0f} ms = {p95 / page.target_ms:.2f}× the "
        f"{page.target_ms} ms limit (p95 per round {', '.join(f'{r.p95:.0f}' for r in runs)} "
        f"ms); {requests / (args.seconds * len(runs)):.0f} requests/s, server CPU "
        f"{cpu:.1f} ms a request, {sum(r.errors for r in runs)} non-200; load average "
        f"{os.getloadavg()[0]:.1f}",
        flush=True,
    )


def readers(repeat: int) -> None:
    """The list's first page for each kind of reader, in-process and one at a time: the
    median time of ``repeat`` requests, the queries one request makes, the rows it shows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for username, label in READERS.items():
        client = client_for(username)
        client.get("/appraisals/")  # warm
        took = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get("/appraisals/")
            took.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/appraisals/")
        assert response.status_code == 200, (username, response.status_code)
        rows = len(re.findall(r'href="/appraisals/\d+/"', response.content.decode()))
        print(
            f"  list as {label}: median {statistics.median(took) * 1000:.1f} ms "
            f"(min {min(took) * 1000:.1f}, max {max(took) * 1000:.1f}), "
            f"{len(queries)} queries, {rows} rows",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument(
        "--clients", type=lambda text: [int(n) for n in text.split(",")], default=[4, 20],
        help="the loads, as concurrent wrk connections (default 4,20: the appraisal page's "
        "first benchmark, and the twenty clients the list was reported to collapse under)",
    )  # fmt: skip
    parser.add_argument(
        "--reuse", action="store_true",
        help="reuse the database a previous SQLite run left: no launch, no appraisal page",
    )  # fmt: skip
    parser.add_argument(
        "--only", choices=["readers", "pages"],
        help="only the list per reader, or only the list, library and new-cycle pages",
    )  # fmt: skip
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk; run make setup)")
    fresh = setup(args.employees, reuse=args.reuse)
    print(
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {database_name()}; "
        f"load average {os.getloadavg()[0]:.1f} before the run",
        flush=True,
    )
    if fresh:
        seconds, made = launch_rounds(args.rounds)
        print(f"appraisal cycle, {made:,} employees, median of {args.rounds} rounds")
        print(
            f"  launch: median {statistics.median(seconds):.1f} s "
            f"(min {min(seconds):.1f}, max {max(seconds):.1f}; target < 30 s)",
            flush=True,
        )
        store_metrics()
    from kaohe.appraisals.models import Appraisal

    ids = list(Appraisal.objects.values_list("pk", flat=True))
    span = (min(ids), max(ids))
    if fresh and args.only is None:
        page = Page("appraisal page", '"/appraisals/" .. math.random(low, high) .. "/"', 150)
        measure([page], span, args)
    if fresh:
        shares = move_the_cycle_along()
        (HOME / "built").touch()
        print(f"  the cycle moved along: {len(ids):,} appraisals, {shares}", flush=True)
    if args.only != "pages":
        readers(repeat=20)
    if args.only != "readers":
        pages = [
            Page("appraisal list", '"/appraisals/"', 150),
            Page(f"appraisal list, ?state={FILTERED_STATE}",
                 f'"/appraisals/?state={FILTERED_STATE}"', 150),
            Page("scheme library", '"/schemes/"', 100),
            Page("new cycle", '"/cycles/new/"', 100),
        ]  # fmt: skip
        measure(pages, span, args)


if __name__ == "__main__":
    main()
