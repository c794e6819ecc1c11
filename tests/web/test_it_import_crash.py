"""An import killed at any step leaves the lake and the app database in agreement.

For every step of an import — the staging file written, the batch file placed, the
manifest's pending entry, just before and just after the database commit, the manifest's
commit — a real process imports a file of calls and kills itself (SIGKILL, no clean-up)
there. Then ``kaohe data check`` runs, and the lake's committed batches, the DataBatch rows,
the ``data.import`` audit rows and the metrics must agree: the agent's calls handled are
the figure before the import or after it, never a batch that only the lake knows. A
re-import of the same file then imports it exactly once.

Runs on SQLite (a file under a temporary KAOHE_HOME) and, when DATABASE_URL is set (as
scripts/with-postgres.sh does), on PostgreSQL, in databases made for it and dropped after.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STEPS = ["staged", "placed", "pending", "recording", "recorded", "committed"]
HEADER = "call_id,direction,queue,agent_id,offered_at,answered_at,ended_at\n"
ROW = "{0},inbound,Q1,QF0005,2026-09-0{1} 09:00:00,2026-09-0{1} 09:00:05,2026-09-0{1} 09:03:00\n"
BEFORE = HEADER + "".join(ROW.format(f"a{n}", 1) for n in range(2))  # 2 calls handled
MORE = HEADER + "".join(ROW.format(f"b{n}", 2) for n in range(3))  # 3 more: 5 after

SETUP = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
django.setup()
"""

IMPORT = SETUP + textwrap.dedent("""
    import signal, sys
    from pathlib import Path
    from django.contrib.auth import get_user_model
    from kaohe.data.actions import do_import_data

    path, step = Path(sys.argv[1]), sys.argv[2]

    def checkpoint(name):
        if name == step:
            os.kill(os.getpid(), signal.SIGKILL)  # no clean-up, no commit, no flush

    do_import_data(get_user_model().objects.get(username="hr"), "calls", path, path.name,
                   checkpoint=checkpoint)
    print("not killed")
""")

STATE = SETUP + textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from django.contrib.auth import get_user_model
    from kaohe.audit.models import AuditEntry
    from kaohe.data import services
    from kaohe.data.actions import do_import_data
    from kaohe.data.models import DataBatch

    def state():
        lake = services.lake()
        handled = [v.value for v in services.metrics("2026-09", "QF0005")
                   if v.subject_type == "employee" and v.metric == "calls_handled"]
        return {
            "lake": [b.seq for b in lake.batches("calls")],
            "pending": [b.seq for b in lake.pending("calls")],
            "files": sorted(p.name for p in lake.folder("calls").iterdir()),
            "records": sorted(
                DataBatch.objects.filter(source="calls").values_list("seq", flat=True)
            ),
            "audits": AuditEntry.objects.filter(action="data.import").count(),
            "handled": handled[0] if handled else None,
        }

    hr = get_user_model().objects.get(username="hr")
    found = {"after_check": state()}
    if len(sys.argv) > 1:
        path = Path(sys.argv[1])
        for attempt in ("first", "second"):
            result = do_import_data(hr, "calls", path, path.name)
            found[attempt] = {"recorded": isinstance(result, DataBatch), **state()}
    print(json.dumps(found))
""")


def run(env, *args):
    return subprocess.run(
        [sys.executable, *map(str, args)], capture_output=True, text=True, env=env, check=False
    )


class Database:
    """Where the subprocesses keep the app database: a SQLite file under their
    KAOHE_HOME, or a PostgreSQL database made for this test (copied from a template)."""

    def __init__(self) -> None:
        self.server = os.environ.get("DATABASE_URL")
        self.made: list[str] = []

    def env(self, home: Path, name: str | None) -> dict[str, str]:
        env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT)}
        env["KAOHE_TASKS"] = "database"  # the metric refresh queues; nothing runs it here
        env.pop("DATABASE_URL", None)
        if self.server is not None and name is not None:
            env["DATABASE_URL"] = self.server.rsplit("/", 1)[0] + "/" + name
        return env

    def create(self, template: str | None = None) -> str | None:
        if self.server is None:
            return None
        name = f"kaohe_crash_{uuid.uuid4().hex[:10]}"
        copy = f" TEMPLATE {template}" if template else ""
        self._execute(f"CREATE DATABASE {name}{copy}")
        self.made.append(name)
        return name

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self._execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def _execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.server, autocommit=True) as connection:
            connection.execute(sql)


@pytest.fixture(scope="module")
def database():
    made = Database()
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def template(tmp_path_factory, database):
    """A demo organisation with one batch of calls imported: the state before each crash."""
    home = tmp_path_factory.mktemp("template")
    name = database.create()
    env = database.env(home, name)
    made = run(env, "-m", "kaohe", "demo", "--no-serve", "--no-data")
    assert made.returncode == 0, made.stderr
    before = home / "before.csv"
    before.write_text(BEFORE, encoding="utf-8")
    imported = run(env, "-m", "kaohe", "data", "import", "calls", before, "--as", "hr")
    assert imported.returncode == 0, imported.stderr
    more = home / "more.csv"
    more.write_text(MORE, encoding="utf-8")
    return home, name


@pytest.mark.parametrize("step", STEPS)
def test_an_import_killed_at_any_step_leaves_lake_and_database_agreeing(
    template, database, tmp_path, step
):
    template_home, template_name = template
    home = tmp_path / "home"
    shutil.copytree(template_home, home)
    env = database.env(home, database.create(template_name))

    killed = run(env, "-c", IMPORT, home / "more.csv", step)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr

    checked = run(env, "-m", "kaohe", "data", "check", "--lang", "en")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    found = json.loads(run(env, "-c", STATE, home / "more.csv").stdout)

    after = found["after_check"]
    assert after["pending"] == []
    assert after["lake"] == after["records"]  # every batch both know, none only one knows
    assert after["audits"] == len(after["records"])
    expected = (
        {"lake": [1, 2], "handled": 5} if 2 in after["records"] else {"lake": [1], "handled": 2}
    )
    assert (after["lake"], after["handled"]) == (expected["lake"], expected["handled"])
    named = {f"batch-{seq:06d}.parquet" for seq in after["lake"]}
    assert set(after["files"]) == named | {"manifest.json", ".lock"}  # nothing stray
    if step in ("recorded", "committed"):
        assert after["lake"] == [1, 2]  # the database had committed: the batch stays
    else:
        assert after["lake"] == [1]  # it had not: the batch is gone
        assert "removed" in checked.stdout

    first, second = found["first"], found["second"]
    assert first["recorded"] == (step not in ("recorded", "committed"))
    assert (first["lake"], first["records"], first["handled"]) == ([1, 2], [1, 2], 5)
    assert (second["recorded"], second["lake"], second["audits"]) == (False, [1, 2], 2)
