"""Importing source files into the lake: checks, refusal, quarantine, idempotence, replacement."""

import csv
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pytest

from kaohe.metrics import ImportOptions, ImportRefused, Lake, MetricsError, import_file

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
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
        "now": NOW,
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
    assert reason in problem.reason.en
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
    assert quarantined.startswith("行号,通话编号")  # the report's language, the file's headers


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
    assert "outside csat 1–5" in refused.value.problems[0].reason.en


def test_problems_are_worded_in_the_reports_language(tmp_path, lake):
    row = GOOD_ROW.replace("2026-09-01 09:00:00", "abc")
    for lang, header, reason in (
        (
            "zh",
            "行号,字段,问题",
            "不是有效的时间：'abc'（请使用 ISO 8601 格式，例如 2026-09-01 08:30:00）",
        ),
        ("en", "line,field,reason", "not a time: 'abc' (use ISO 8601, e.g. 2026-09-01 08:30:00)"),
    ):
        folder = tmp_path / lang
        with pytest.raises(ImportRefused) as refused:
            import_file(lake, "calls", write(tmp_path, CALLS + row + "\n"), "calls.csv",
                        options(folder, lang=lang))  # fmt: skip
        assert refused.value.problems[0].reason(lang) == reason
        report = next((folder / "reports").glob("*-problems.csv")).read_text(encoding="utf-8-sig")
        assert list(csv.reader(report.splitlines())) == [
            header.split(","),
            ["5", "offered_at", reason],
        ]
    assert str(refused.value) == "calls.csv: 1 problem(s); nothing was imported"
    assert refused.value.text.zh == "calls.csv：1 处问题，未导入任何数据"


def test_a_preview_writes_no_report_or_quarantine_file(tmp_path, lake):
    bad = CALLS + GOOD_ROW.replace("呼入", "sideways") + "\n"
    with pytest.raises(ImportRefused):
        import_file(lake, "calls", write(tmp_path, bad), "calls.csv",
                    options(tmp_path, dry_run=True))  # fmt: skip
    preview = import_file(lake, "calls", write(tmp_path, bad), "calls.csv",
                          options(tmp_path, dry_run=True, quarantine=True))  # fmt: skip
    assert (preview.rejected, preview.report_file, preview.quarantine_file) == (1, "", "")
    assert not (tmp_path / "reports").exists()


def test_the_report_file_is_bounded_and_says_how_many_more(tmp_path, lake, monkeypatch):
    from kaohe.metrics import _report

    monkeypatch.setattr(_report, "REPORT_LINES", 40)
    bad_rows = "".join(f"X{n},呼入,Q1,,K,not-a-time,,2026-09-01 09:00:00,,\n" for n in range(150))
    with pytest.raises(ImportRefused) as refused:
        import_file(lake, "calls", write(tmp_path, HEADER_ZH + bad_rows), "calls.csv",
                    options(tmp_path, lang="en"))  # fmt: skip
    assert (refused.value.total, len(refused.value.problems)) == (150, 100)
    report = next((tmp_path / "reports").glob("*-problems.csv")).read_text(encoding="utf-8-sig")
    lines = report.splitlines()
    assert len(lines) == 1 + 40 + 1
    assert lines[-1] == ",,… and 110 more"


def test_cells_that_would_run_as_formulas_are_defused_in_the_quarantine_file(tmp_path, lake):
    hyperlink = '=HYPERLINK(""http://evil.example/"",""click"")'
    row = f'C4,sideways,"{hyperlink}",,K1,2026-09-01 09:00:00,,2026-09-01 09:05:00,-3,\n'
    batch = import_file(lake, "calls", write(tmp_path, CALLS + row), "calls.csv",
                        options(tmp_path, quarantine=True))  # fmt: skip
    quarantined = Path(batch.quarantine_file).read_text(encoding="utf-8-sig").splitlines()
    assert quarantined[1] == (
        '5,C4,sideways,"\'=HYPERLINK(""http://evil.example/"",""click"")",,K1,'
        "2026-09-01 09:00:00,,2026-09-01 09:05:00,-3,"
    )  # the formula starts with an apostrophe; a plain negative number stays a number


@pytest.mark.parametrize(
    ("offered", "accepted"),
    [
        ("2026-11-21 08:00:00", True),  # 23 hours after now: within a day
        ("2026-11-21 10:00:00", False),  # 25 hours after
        ("2027-09-01T09:00:00+08:00", False),  # an offset: the row reader's path
    ],
)
def test_times_too_far_in_the_future_are_refused_on_either_path(tmp_path, lake, offered, accepted):
    row = f"F1,呼入,Q1,A001,K1,{offered},,{offered}\n"
    text = "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at\n" + row
    if accepted:
        assert import_file(
            lake, "calls", write(tmp_path, text), "f.csv", options(tmp_path)
        ).accepted
        return
    with pytest.raises(ImportRefused) as refused:
        import_file(lake, "calls", write(tmp_path, text), "f.csv", options(tmp_path))
    found = [(p.line, p.field) for p in refused.value.problems]
    assert found == [(2, "offered_at"), (2, "ended_at")]
    reason = refused.value.problems[0].reason
    assert reason.en.startswith("is in the future: ")
    assert "(more than 1 day from now)" in reason.en
    assert "比当前时间晚了 1 天以上" in reason.zh


def test_the_tolerance_is_the_callers(tmp_path, lake):
    from datetime import timedelta

    row = "F1,呼入,Q1,A001,K1,2026-11-20 12:00:00,,2026-11-20 12:00:30\n"
    text = "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at\n" + row
    with pytest.raises(ImportRefused) as refused:
        import_file(lake, "calls", write(tmp_path, text), "f.csv",
                    options(tmp_path, future_tolerance=timedelta(hours=2)))  # fmt: skip
    assert "(more than 2 hours from now)" in refused.value.problems[0].reason.en


def test_headers_match_whatever_their_spaces_underscores_and_case():
    from kaohe.tabular import normal_header

    assert normal_header(" Agent_ID ") == normal_header("agentid") == normal_header("AGENT ID")
    assert normal_header("坐席　工号") == "坐席工号"  # a full-width space
