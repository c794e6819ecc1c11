"""A batch becomes visible only once the caller has recorded it; reconcile settles what a
process that died half-way left behind, against what the database records."""

from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pytest

from kaohe.metrics import ImportOptions, Lake, MetricsError, import_file

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)
HEADER = "call_id,direction,queue,agent_id,offered_at,answered_at,ended_at\n"
ROW = "{0},inbound,Q1,A1,2026-09-01 09:00:00,2026-09-01 09:00:05,2026-09-01 09:01:00\n"


def calls_file(tmp_path, *ids, name="calls.csv"):
    path = tmp_path / name
    path.write_text(HEADER + "".join(ROW.format(i) for i in ids), encoding="utf-8")
    return path


def options(**changes):
    return ImportOptions(zone=ZONE, now=NOW, **changes)


def ids(lake):
    sql = lake.current("calls", "call_id")
    return (
        [] if sql is None else sorted(r[0] for r in duckdb.sql(f"SELECT * FROM {sql}").fetchall())
    )


class Stop(Exception):
    pass


def stop_at(step):
    def checkpoint(name):
        if name == step:
            raise Stop(name)

    return checkpoint


def test_the_steps_come_in_order_and_the_batch_is_seen_only_after_it_is_recorded(tmp_path):
    lake = Lake(tmp_path / "lake")
    steps, seen_while_recording = [], []

    def record(info):
        steps.append("record")
        seen_while_recording.append((ids(lake), [e.state for e in lake.entries("calls")]))

    import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv",
                options(checkpoint=steps.append), record)  # fmt: skip
    assert steps == ["staged", "placed", "pending", "record", "committed"]
    assert seen_while_recording == [([], ["pending"])]
    assert ids(lake) == ["c1"]
    assert [b.state for b in lake.batches("calls")] == ["committed"]


def test_a_preview_calls_no_checkpoint_and_writes_nothing(tmp_path):
    lake = Lake(tmp_path / "lake")
    steps = []
    info = import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv",
                       options(checkpoint=steps.append, dry_run=True))  # fmt: skip
    assert (info.accepted, steps, lake.entries("calls")) == (1, [], [])
    assert sorted(p.name for p in lake.folder("calls").iterdir()) == [".lock"]


def test_a_failed_record_removes_the_batch(tmp_path):
    lake = Lake(tmp_path / "lake")

    def record(info):
        raise RuntimeError("the database is down")

    with pytest.raises(RuntimeError):
        import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv", options(), record)
    assert lake.entries("calls") == []
    assert not list(lake.folder("calls").glob("*.parquet"))


def test_a_failed_record_that_the_database_kept_all_the_same_is_committed(tmp_path):
    lake = Lake(tmp_path / "lake")
    database = set()

    def record(info):
        database.add(("calls", info.seq))
        raise RuntimeError("the connection dropped after the commit")

    with pytest.raises(RuntimeError):
        import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv",
                    options(recorded=lambda: set(database)), record)  # fmt: skip
    assert ids(lake) == ["c1"]
    assert [(e.seq, e.state) for e in lake.entries("calls")] == [(1, "committed")]


@pytest.mark.parametrize("step", ["placed", "pending"])
def test_reconcile_removes_what_an_unrecorded_import_left(tmp_path, step):
    lake = Lake(tmp_path / "lake")
    import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv", options())
    with pytest.raises(Stop):
        import_file(lake, "calls", calls_file(tmp_path, "c2", name="more.csv"), "more.csv",
                    options(checkpoint=stop_at(step)))  # fmt: skip
    # A Stop raised by the checkpoint still runs the import's clean-up; a killed process
    # does not. Leave behind what a kill would have: the files and the manifest as they are.
    assert ids(lake) == ["c1"]
    (lake.folder("calls") / ".staging-2.parquet").write_bytes(b"half")  # as a kill leaves it
    findings = lake.reconcile(lambda: {("calls", 1)})
    assert [f.action for f in findings] == ["removed", "removed"]  # the batch, the staging file
    assert not (lake.folder("calls") / ".staging-2.parquet").exists()
    assert [e.seq for e in lake.entries("calls")] == [1]
    assert sorted(p.name for p in lake.folder("calls").glob("*.parquet")) == [
        "batch-000001.parquet"
    ]
    again = import_file(lake, "calls", calls_file(tmp_path, "c2", name="more.csv"), "more.csv",
                        options())  # fmt: skip
    assert (again.seq, again.accepted) == (2, 1)


def killed_after_pending(tmp_path):
    """A lake as a process killed just after listing batch 2 as pending leaves it."""
    lake = Lake(tmp_path / "lake")
    import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv", options())
    placed = []

    def record(info):
        placed.append(lake.folder("calls") / info.file)
        raise Stop

    with pytest.raises(Stop):
        import_file(lake, "calls", calls_file(tmp_path, "c2", name="more.csv"), "more.csv",
                    options(), record)  # fmt: skip
    # The clean-up ran (a kill would not have); put back what a kill leaves.
    entry = lake.batches("calls")[0]
    entry.seq, entry.file, entry.source_file = 2, "batch-000002.parquet", "more.csv"
    lake.add_pending("calls", entry)
    (lake.folder("calls") / entry.file).write_bytes(
        (lake.folder("calls") / "batch-000001.parquet").read_bytes()
    )
    return lake


def test_a_pending_batch_the_database_records_is_committed(tmp_path):
    lake = killed_after_pending(tmp_path)
    assert [e.state for e in lake.entries("calls")] == ["committed", "pending"]
    findings = lake.reconcile(lambda: {("calls", 1), ("calls", 2)})
    assert [(f.seq, f.action) for f in findings] == [(2, "committed")]
    assert "batch 2 (more.csv) is recorded in the database" in str(findings[0])
    assert "第 2 批（more.csv）已在数据库中登记" in findings[0].text.zh
    assert [e.state for e in lake.entries("calls")] == ["committed", "committed"]
    assert lake.reconcile(lambda: {("calls", 1), ("calls", 2)}) == []  # settled


def test_an_import_settles_a_pending_batch_first_or_refuses(tmp_path):
    lake = killed_after_pending(tmp_path)
    with pytest.raises(MetricsError, match="was interrupted; run kaohe data check"):
        import_file(lake, "calls", calls_file(tmp_path, "c3"), "c.csv", options())
    info = import_file(lake, "calls", calls_file(tmp_path, "c3"), "c.csv",
                       options(recorded=lambda: {("calls", 1)}))  # fmt: skip
    assert info.seq == 2  # the unrecorded batch 2 was removed first
    assert [(e.seq, e.source_file) for e in lake.entries("calls")] == [
        (1, "calls.csv"),
        (2, "c.csv"),
    ]


def test_what_needs_a_person_is_reported_and_kept(tmp_path):
    lake = Lake(tmp_path / "lake")
    import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv", options())
    import_file(lake, "calls", calls_file(tmp_path, "c2", name="b.csv"), "b.csv", options())
    (lake.folder("calls") / "batch-000002.parquet").unlink()
    # The database lost batch 1 (restored from an older backup) and knows a batch 7.
    findings = lake.reconcile(lambda: {("calls", 2), ("calls", 7), ("tickets", 1)})
    reported = {(f.source, f.seq): str(f) for f in findings}
    assert all(f.needs_person for f in findings)
    assert "the database has no record of it" in reported[("calls", 1)]
    assert "its file batch-000002.parquet is missing" in reported[("calls", 2)]
    assert "the database records batch 7, but the lake does not hold it" in reported[("calls", 7)]
    assert ("tickets", 1) in reported
    assert [e.seq for e in lake.entries("calls")] == [1, 2]  # nothing deleted


def test_a_source_being_imported_is_skipped(tmp_path):
    lake = Lake(tmp_path / "lake")
    import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv", options())
    with lake.locked("calls"):
        findings = lake.reconcile(lambda: set())
    assert [(f.source, f.action, f.needs_person) for f in findings] == [("calls", "skipped", False)]


def test_a_batch_number_the_database_still_records_is_never_given_again(tmp_path):
    lake = Lake(tmp_path / "lake")
    # The lake was restored from a backup older than the database's batches 1 and 2.
    recorded = {("calls", 1), ("calls", 2), ("qa", 9)}
    info = import_file(lake, "calls", calls_file(tmp_path, "c1"), "calls.csv",
                       options(recorded=lambda: recorded))  # fmt: skip
    assert info.seq == 3
