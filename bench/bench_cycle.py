"""Benchmark: launching a cycle for 20,000 employees, and the appraisal page under load.

Targets (issue 5): the launch in under 30 s; with 20,000 appraisals in the database, the
appraisal page's 95th-percentile response time under 150 ms, measured with wrk on loopback
against gunicorn (2 workers), as an HR admin for the whole organisation opening appraisals
at random. SQLite under a throwaway KAOHE_HOME; medians over rounds. The figures go in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
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

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / "var" / "bench" / "cycle-home"
TEAM = 40  # agents per team lead
WRK_SCRIPT = """
local low, high = {low}, {high}
request = function()
  return wrk.format("GET", "/appraisals/" .. math.random(low, high) .. "/")
end
response = function(status, headers, body)
  if status ~= 200 then print("status " .. status) end
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.errors.status,
    latency:percentile(50), latency:percentile(95)))
end
"""


def setup(employees: int) -> None:
    shutil.rmtree(HOME, ignore_errors=True)
    HOME.mkdir(parents=True)
    os.environ.update(
        KAOHE_HOME=str(HOME), KAOHE_HTTPS="false", DJANGO_SETTINGS_MODULE="kaohe.settings"
    )
    os.environ.pop("DATABASE_URL", None)
    from kaohe.cli.django import migrate, setup_django

    setup_django()
    migrate()
    build_org(employees)


def build_org(employees: int) -> None:
    """企服部 → centres of ten teams → a lead and forty agents each; one HR admin."""
    from django.contrib.auth import get_user_model

    from kaohe.org.models import AccessGrant, Department, Employee, GrantRole, Position, RoleFamily

    agent = Position.objects.create(name="客服专员", family=RoleFamily.CUSTOMER_SERVICE)
    lead = Position.objects.create(name="客服组长", family=RoleFamily.CUSTOMER_SERVICE)
    director = Position.objects.create(name="客服总监", family=RoleFamily.DIRECTOR)
    hr_position = Position.objects.create(name="绩效专员", family=RoleFamily.OTHER)
    root = Department.objects.create(name="企服部", path="企服部")
    hr_department = Department.objects.create(name="人力资源部", path="人力资源部")
    hr_user = get_user_model().objects.create_user("hr", password="bench-password-1")
    AccessGrant.objects.create(user=hr_user, role=GrantRole.HR_ADMIN)
    Employee.objects.create(
        number="H0001", name="绩效专员", department=hr_department, position=hr_position,
        user=hr_user,
    )  # fmt: skip
    head = Employee.objects.create(number="D0001", name="总监", department=root, position=director)
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
            position=lead, manager=head,
        )  # fmt: skip
        members = []
        for _ in range(TEAM):
            number += 1
            members.append(Employee(
                number=f"A{number:06d}", name=f"坐席{number}", department=team_department,
                position=agent, manager=leader,
            ))  # fmt: skip
        Employee.objects.bulk_create(members)


def launch_rounds(rounds: int) -> tuple[list[float], int]:
    from django.contrib.auth import get_user_model

    from kaohe.appraisals.launch import create_cycle, start_launch
    from kaohe.appraisals.models import Appraisal, Cycle
    from kaohe.appraisals.schemes import import_builtin_schemes
    from kaohe.org.models import Department

    import_builtin_schemes()
    hr = get_user_model().objects.get(username="hr")
    root = Department.objects.get(path="企服部")
    seconds, made = [], 0
    for index in range(rounds):
        cycle = create_cycle(hr, name=f"bench {index}", period="2026-Q3", departments=[root])
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
    for metric in sorted(wanted):
        scope, _sep, name = metric.rpartition(":")
        subjects = [("org", "org")] if scope == "org" else [("employee", n) for n in numbers]
        MetricRecord.objects.bulk_create(
            [MetricRecord(run=run, subject_type=kind, subject=subject, metric=name,
                          value=rng.uniform(70, 99)) for kind, subject in subjects],
            batch_size=5_000,
        )  # fmt: skip


def session_cookie() -> str:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username="hr"))
    return client.cookies["sessionid"].value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kaohe.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2"],
        env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
    port: int, cookie: str, low: int, high: int, seconds: int
) -> tuple[int, int, float, float]:
    script = HOME / "pages.lua"
    script.write_text(WRK_SCRIPT.format(low=low, high=high))
    output = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", "-s", str(script), "-H",
         f"Cookie: sessionid={cookie}", f"http://127.0.0.1:{port}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    found = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+)", output)
    assert found, output
    requests, errors, p50, p95 = map(int, found.groups())
    return requests, errors, p50 / 1000, p95 / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (Debian package wrk; run make setup)")
    setup(args.employees)
    seconds, made = launch_rounds(args.rounds)
    print(f"appraisal cycle, {made:,} employees, SQLite, median of {args.rounds} rounds")
    print(
        f"  launch: median {statistics.median(seconds):.1f} s "
        f"(min {min(seconds):.1f}, max {max(seconds):.1f}; target < 30 s)"
    )
    store_metrics()
    from kaohe.appraisals.models import Appraisal

    ids = list(Appraisal.objects.values_list("pk", flat=True))
    cookie = session_cookie()
    port = free_port()
    server = serve(port)
    try:
        load(port, cookie, min(ids), max(ids), 3)  # warm up both workers
        runs = [load(port, cookie, min(ids), max(ids), args.seconds) for _ in range(args.rounds)]
    finally:
        server.terminate()
        server.wait()
    p50 = statistics.median(r[2] for r in runs)
    p95 = statistics.median(r[3] for r in runs)
    requests = sum(r[0] for r in runs)
    errors = sum(r[1] for r in runs)
    print(
        f"  appraisal page ({len(ids):,} appraisals, wrk 4 connections, {args.seconds} s × "
        f"{args.rounds}): median p50 {p50:.0f} ms, p95 {p95:.0f} ms "
        f"(p95 per round {', '.join(f'{r[3]:.0f}' for r in runs)} ms; target < 150 ms); "
        f"{requests:,} requests, {errors} non-200"
    )


if __name__ == "__main__":
    main()
