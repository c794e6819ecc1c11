"""``kaohe worker``: launches queued in the database run in the worker, not the request."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

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


def run(home, *args, tasks="database"):
    env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT), "KAOHE_TASKS": tasks}
    env.pop("DATABASE_URL", None)
    env.pop("KAOHE_LANG", None)  # the tests choose the language
    return subprocess.run(
        [sys.executable, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


def test_a_queued_launch_waits_for_the_worker(tmp_path):
    assert run(tmp_path, "-m", "kaohe", "demo", "--no-serve", "--no-data").returncode == 0
    queued = run(tmp_path, "-c", QUEUE_A_LAUNCH)
    assert queued.stdout.split() == ["launching", "0"], queued.stderr
    worked = run(tmp_path, "-m", "kaohe", "worker", "--batch")
    assert worked.returncode == 0, worked.stderr
    assert run(tmp_path, "-c", STATUS).stdout.split() == ["open", "15", "15"]


def test_the_worker_refuses_when_tasks_run_in_place_in_either_language(tmp_path):
    refused = run(tmp_path, "-m", "kaohe", "worker", tasks="immediate")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "kaohe: KAOHE_TASKS=immediate 时任务当场运行，不需要单独的任务进程"
    )
    refused = run(tmp_path, "-m", "kaohe", "worker", "--lang", "en", tasks="immediate")
    assert refused.returncode == 1
    assert refused.stderr.strip() == (
        "kaohe: KAOHE_TASKS=immediate runs tasks in place; a worker has nothing to do"
    )
