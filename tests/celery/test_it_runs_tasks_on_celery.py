"""``KAOHE_TASKS=celery``: work queued by one process goes through a real Redis to a
``kaohe worker`` process, which runs it against the same PostgreSQL database.

Run by ``make test`` beside a throwaway PostgreSQL and Redis on loopback
(``scripts/with-postgres.sh scripts/with-redis.sh``); without them these tests fail rather
than skip.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from tests.cli.test_worker_command import QUEUE_A_LAUNCH, STATUS  # the same launch

ROOT = Path(__file__).resolve().parents[2]

SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
django.setup()
from django.contrib.auth import get_user_model
hr = get_user_model().objects.get(username="hr")
"""

# A calls file uploaded on the Data page: checked by a task, then imported by another, whose
# batch makes the open cycle's metrics be computed again by a third.
UPLOAD_CALLS = SETUP + textwrap.dedent("""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from kaohe.data.actions import do_check_upload
    from kaohe.org.models import Employee
    from kaohe.uploads import save_upload

    agent = Employee.objects.get(user__username="agent").number
    rows = ["call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,"
            "wrap_seconds"]
    rows += [f"C{n},inbound,Q1,{agent},K{n},2026-09-0{1 + n % 9} 09:00:00,"
             f"2026-09-0{1 + n % 9} 09:00:10,2026-09-0{1 + n % 9} 09:05:00,20" for n in range(50)]
    upload = SimpleUploadedFile("calls.csv", "\\n".join(rows).encode())
    job = do_check_upload(hr, "calls", save_upload(upload), quarantine=False, lang="en")
    print(job.pk)
""")

JOB = SETUP + textwrap.dedent("""
    import sys
    from kaohe.data.models import ImportJob, MetricRun
    job = ImportJob.objects.get(pk=int(sys.argv[1]))
    print(job.stage, job.result.get("accepted", 0), MetricRun.objects.count())
""")

START_IMPORT = SETUP + textwrap.dedent("""
    import sys
    from kaohe.data.actions import do_start_import
    from kaohe.data.models import ImportJob
    print(do_start_import(hr, ImportJob.objects.get(pk=int(sys.argv[1]))))
""")


def required(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: run these tests through make test (PostgreSQL and Redis)")
    return value


@pytest.fixture
def database() -> Iterator[str]:
    """A database of its own on the test set-up's PostgreSQL server, dropped afterwards."""
    server = required("DATABASE_URL")
    name = f"kaohe_celery_{secrets.token_hex(4)}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def environment(tmp_path, database) -> dict[str, str]:
    return {
        **os.environ,
        "KAOHE_HOME": str(tmp_path),
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database,
        "KAOHE_TASKS": "celery",
        "KAOHE_REDIS_URL": required("KAOHE_REDIS_URL"),
        "DJANGO_SETTINGS_MODULE": "kaohe.settings",
    }


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=False, timeout=300
    )


def wait_for(env: dict[str, str], expected: list[str], *script: str, seconds: float = 90):
    """Poll the script's output until it is ``expected`` (or the time is up); the last."""
    deadline = time.monotonic() + seconds
    while True:
        seen = run(env, "-c", *(script or (STATUS,))).stdout.split()
        if seen == expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.5)


@contextmanager
def celery_worker(env: dict[str, str], log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        worker = subprocess.Popen(
            [sys.executable, "-m", "kaohe", "worker"], env=env, stdout=out, stderr=out
        )
        try:
            yield
        finally:
            worker.terminate()
            worker.wait(timeout=30)


def test_a_launch_queued_in_one_process_is_made_by_a_celery_worker(environment, tmp_path):
    demo = run(environment, "-m", "kaohe", "demo", "--no-serve", "--no-data")
    assert demo.returncode == 0, demo.stderr
    queued = run(environment, "-c", QUEUE_A_LAUNCH)
    assert queued.stdout.split() == ["launching", "0"], queued.stderr  # nothing ran in place
    log = tmp_path / "worker.log"
    with celery_worker(environment, log):
        # The message waited in Redis for a worker to start: the launch is made now.
        assert wait_for(environment, ["open", "15", "15"]) == ["open", "15", "15"], log.read_text()
    assert "kaohe.run_task" in log.read_text()


def test_a_data_page_import_and_the_metric_refresh_it_causes_run_on_the_worker(
    environment, tmp_path
):
    demo = run(environment, "-m", "kaohe", "demo", "--no-serve", "--no-data")
    assert demo.returncode == 0, demo.stderr  # the demo's cycle is open
    log = tmp_path / "worker.log"
    with celery_worker(environment, log):
        uploaded = run(environment, "-c", UPLOAD_CALLS)
        assert uploaded.returncode == 0, uploaded.stderr
        job = uploaded.stdout.strip()
        runs_before = int(run(environment, "-c", JOB, job).stdout.split()[2])
        checked = wait_for(environment, ["checked", "50", str(runs_before)], JOB, job)
        assert checked[0] == "checked", log.read_text()
        started = run(environment, "-c", START_IMPORT, job)
        assert started.stdout.strip() == "True", started.stderr
        # The running cycle's quarter, and its three months that the monthly badges (and the
        # dashboards' trends) read.
        expected = ["done", "50", str(runs_before + 4)]
        assert wait_for(environment, expected, JOB, job) == expected, log.read_text()
    assert log.read_text().count("kaohe.run_task") >= 3  # check, import, metric refresh


def test_the_celery_worker_has_no_batch_mode(environment):
    refused = run(environment, "-m", "kaohe", "worker", "--batch", "--lang", "en")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "kaohe: --batch is for the database queue; a Celery worker keeps running"
    )
