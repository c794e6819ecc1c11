"""Importing source files into the lake: checks, refusal, quarantine, idempotence, replacement."""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from kaohe.metrics import ImportOptions, ImportRefused, Lake, MetricsError, import_file

HEADER_ZH = (
    "通话编号,方向,队列,坐席工号,客户编号,进线时间,接通时间,结束时间,保持时长,话后处理时长\n"
)
CALLS = (
    HEADER_ZH
    + "C1,呼入,Q1,A001,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10,0,30\n"
    + "C2,呼入,Q1,,K2,2026-09-01 09:01:00,,2026-09-01 09:01:03,,\n"
    + "C3,outbound,Q1,A001,K3,2026-09-01T10:00:00+08:00,2026-09-01T10:00:05+08:00,"
    "2026-09-01T10:03:00+08:00,0,0\n"
)


@pytest.fixture
def lake(tmp_path):
    return Lake(tmp_path / "lake")


def options(tmp_path, **changes):
    values = {
        "zone": ZoneInfo("Asia/Shanghai"),
        "report_dir": tmp_path / "reports",
        "known_employees": frozenset({"A001"}),
    }
    values.update(changes)
    return ImportOptions(**values)


def write(tmp_path, text, name="calls.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def rows(lake, source="calls", columns="*"):
    return duckdb.sql(f"SELECT {columns} FROM {lake.current(source)} ORDER BY 1").fetchall()


def test_a_chinese_csv_lands_as_one_parquet_batch(tmp_path, lake):
    batch = import_file(lake, "calls", write(tmp_path, CALLS), "calls.csv", options(tmp_path))
    assert (batch.seq, batch.accepted, batch.replaced, batch.unchanged, batch.rejected) == (
        1,
        3,
        0,
        0,
        0,
    )
    assert batch.file == "batch-000001.parquet"
    assert (lake.folder("calls") / batch.file).is_file()
    assert len(batch.checksum) == 64
    found = rows(lake, columns="call_id, direction, agent_id, wrap_seconds, hold_seconds")
    assert found == [("C1", "inbound", "A001", 30, 0), ("C2", "inbound", None, None, None),
                     ("C3", "outbound", "A001", 0, 0)]  # fmt: skip


def test_times_without_an_offset_are_local_and_dates_are_kept_local(tmp_path, lake):
    late = HEADER_ZH + "C9,呼入,Q1,A001,K1,2026-09-30 23:30:00,,2026-09-30 23:30:02,,\n"
    import_file(lake, "calls", write(tmp_path, late), "calls.csv", options(tmp_path))
    ((offered, day),) = rows(lake, columns="offered_at, offered_at_date")
    assert offered == datetime(2026, 9, 30, 15, 30, tzinfo=UTC)  # the same instant
    assert str(day) == "2026-09-30"  # the Shanghai date, not the UTC one


def test_reimporting_the_same_file_changes_nothing(tmp_path, lake):
    path = write(tmp_path, CALLS)
    import_file(lake, "calls", path, "calls.csv", options(tmp_path))
    again = import_file(lake, "calls", path, "calls.csv", options(tmp_path))
    assert (again.accepted, again.replaced, again.unchanged, again.file) == (0, 0, 3, "")
    assert len(lake.batches("calls")) == 1
    assert len(rows(lake)) == 3


def test_a_changed_record_replaces_the_old_one_and_says_so(tmp_path, lake):
    import_file(lake, "calls", write(tmp_path, CALLS), "calls.csv", options(tmp_path))
    changed = CALLS.replace("0,30\n", "0,45\n")
    batch = import_file(
        lake, "calls", write(tmp_path, changed, "v2.csv"), "v2.csv", options(tmp_path)
    )
    assert (batch.accepted, batch.replaced, batch.unchanged) == (0, 1, 2)
    assert rows(lake, columns="call_id, wrap_seconds, _batch")[0] == ("C1", 45, 2)
    assert len(rows(lake)) == 3


GOOD_ROW = "C4,呼入,Q1,A001,K1,2026-09-01 09:00:00,,2026-09-01 09:05:00,,"
BAD = [
    (
        GOOD_ROW.replace(",,2026", ",2026-09-01 08:00:00,2026"),
        "answered_at",
        "is before offered_at",
    ),
    (GOOD_ROW.replace("呼入", "sideways"), "direction", "unknown value 'sideways'"),
    (GOOD_ROW.replace("2026-09-01 09:00:00", "yesterday"), "offered_at", "not a time"),
    (GOOD_ROW[:-1] + "-1,", "hold_seconds", "must not be negative"),
    (GOOD_ROW.replace("C4", ""), "call_id", "required, but empty"),
    (GOOD_ROW.replace("C4", "C1"), "call_id", "C1 also appears on line 2"),
]


@pytest.mark.parametrize(("row", "field", "reason"), BAD)
def test_one_bad_row_refuses_the_file_and_the_report_names_it(tmp_path, lake, row, field, reason):
    with pytest.raises(ImportRefused) as refused:
        import_file(
            lake, "calls", write(tmp_path, CALLS + row + "\n"), "calls.csv", options(tmp_path)
        )
    problem = refused.value.problems[0]
    assert (problem.line, problem.field) == (5, field)
    assert reason in problem.reason
    assert lake.batches("calls") == []
    assert not list(lake.folder("calls").glob("*.parquet"))
    report = next((tmp_path / "reports").glob("*-problems.csv")).read_text(encoding="utf-8-sig")
    assert f"5,{field}," in report


def test_quarantine_imports_the_good_rows_and_keeps_the_bad(tmp_path, lake):
    text = CALLS + "C4,sideways,Q1,,K1,2026-09-01 09:00:00,,2026-09-01 09:05:00,,\n"
    batch = import_file(
        lake, "calls", write(tmp_path, text), "calls.csv", options(tmp_path, quarantine=True)
    )
    assert (batch.accepted, batch.rejected) == (3, 1)
    quarantined = Path(batch.quarantine_file).read_text(encoding="utf-8-sig")
    assert "C4,sideways" in quarantined
    assert quarantined.startswith("line,通话编号")


def test_every_problem_is_in_the_report_though_only_the_first_hundred_are_kept(tmp_path, lake):
    bad_rows = "".join(f"X{n},呼入,Q1,,K,not-a-time,,2026-09-01 09:00:00,,\n" for n in range(150))
    with pytest.raises(ImportRefused) as refused:
        import_file(
            lake, "calls", write(tmp_path, HEADER_ZH + bad_rows), "calls.csv", options(tmp_path)
        )
    assert refused.value.total == 150
    assert len(refused.value.problems) == 100
    report = next((tmp_path / "reports").glob("*-problems.csv")).read_text(encoding="utf-8-sig")
    assert len(report.splitlines()) == 151


def test_gbk_english_headers_and_unknown_employees(tmp_path, lake):
    text = (
        "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at\n"
        "E1,inbound,客服一组,Z999,K1,2026-09-01 09:00:00,2026-09-01 09:00:05,2026-09-01 09:03:00\n"
    )
    batch = import_file(
        lake, "calls", write(tmp_path, text, encoding="gbk"), "calls.csv", options(tmp_path)
    )
    assert batch.accepted == 1  # kept, and reported
    assert batch.unknown_employees == {"Z999": 1}
    assert rows(lake, columns="queue") == [("客服一组",)]


def test_a_missing_required_column_or_unknown_source(tmp_path, lake):
    with pytest.raises(ImportRefused) as refused:
        import_file(
            lake,
            "calls",
            write(tmp_path, "call_id,direction\nC1,inbound\n"),
            "c.csv",
            options(tmp_path),
        )
    fields = {p.field for p in refused.value.problems}
    assert {"offered_at", "ended_at"} <= fields
    assert all(p.line is None for p in refused.value.problems)
    with pytest.raises(MetricsError, match="unknown source 'chats'"):
        import_file(lake, "chats", write(tmp_path, CALLS), "calls.csv", options(tmp_path))


def test_survey_scores_are_checked_against_their_kind(tmp_path, lake):
    text = (
        "survey_id,kind,score,agent_id,responded_at\n"
        "S1,csat,5,A001,2026-09-01 10:00:00\n"
        "S2,nps,10,A001,2026-09-01 10:00:00\n"
        "S3,csat,6,A001,2026-09-01 10:00:00\n"
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(lake, "surveys", write(tmp_path, text, "s.csv"), "s.csv", options(tmp_path))
    assert [(p.line, p.field) for p in refused.value.problems] == [(4, "score")]
    assert "outside csat 1–5" in refused.value.problems[0].reason
