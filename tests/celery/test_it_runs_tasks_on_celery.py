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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]

QUEUE_A_LAUNCH = textwrap.dedent("""
    import django, os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from kaohe.appraisals.actions import CycleData, do_create_cycle, do_launch_cycle
    from kaohe.org.models import Department

    hr = get_user_model().objects.get(username="hr")
    team = Department.objects.get(path="企服部/客服中心/客服一组")
    cycle = do_create_cycle(hr, CycleData("queued", "2026-09", [team]))
    do_launch_cycle(hr, cycle)
    cycle.refresh_from_db()
    print(cycle.status, cycle.appraisals.count())
""")

STATUS = textwrap.dedent("""
    import django, os
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    django.setup()
    from kaohe.appraisals.models import Cycle

    cycle = Cycle.objects.get(name="queued")
    print(cycle.status, cycle.appraisals.count(), cycle.launch_done)
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


def wait_for(env: dict[str, str], expected: list[str], seconds: float = 90) -> list[str]:
    deadline = time.monotonic() + seconds
    while True:
        seen = run(env, "-c", STATUS).stdout.split()
        if seen == expected or time.monotonic() > deadline:
            return seen
        time.sleep(0.5)


def test_a_launch_queued_in_one_process_is_made_by_a_celery_worker(environment, tmp_path):
    demo = run(environment, "-m", "kaohe", "demo", "--no-serve", "--no-data")
    assert demo.returncode == 0, demo.stderr
    queued = run(environment, "-c", QUEUE_A_LAUNCH)
    assert queued.stdout.split() == ["launching", "0"], queued.stderr  # nothing ran in place
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "kaohe", "worker"], env=environment, stdout=log, stderr=log
    )
    try:
        # The message waited in Redis for a worker to start: the launch is made now.
        assert wait_for(environment, ["open", "15", "15"]) == ["open", "15", "15"], (
            tmp_path / "worker.log"
        ).read_text()
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    assert "kaohe.run_task" in (tmp_path / "worker.log").read_text()


def test_the_celery_worker_has_no_batch_mode(environment):
    refused = run(environment, "-m", "kaohe", "worker", "--batch", "--lang", "en")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "kaohe: --batch is for the database queue; a Celery worker keeps running"
    )
