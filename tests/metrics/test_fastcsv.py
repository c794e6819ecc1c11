"""The block-at-a-time CSV path gives exactly what the row-by-row reader gives."""

import csv
import io
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from kaohe.metrics import ImportOptions, ImportRefused, Lake, _fastcsv, import_file
from kaohe.metrics._ingest import _map_headers, _stage_blocks, _stage_rows
from kaohe.metrics._sources import SOURCES
from kaohe.tabular import stream_table

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
HEADERS = [
    "call_id", "direction", "queue", "agent_id", "customer_id",
    "offered_at", "answered_at", "ended_at", "hold_seconds", "wrap_seconds",
]  # fmt: skip

# Plain forms the fast path reads, and others only the row reader reads or refuses.
times = st.sampled_from([
    "2026-09-01 09:00:00", "2026-09-01T09:00:05", "2026-09-01 09:01", " 2026-09-01 09:00:30 ",
    "2026-09-01T09:00:00+08:00", "2026-09-01 01:00:00Z", "2026/09/01 09:00:20",
    "2026-13-01 09:00:00", "2026-02-30 10:00:00", "yesterday", "",
    "2027-09-01 09:00:00", "2027-09-01T09:00:00+08:00",  # beyond now + a day: refused
])  # fmt: skip
seconds = st.sampled_from(
    ["", "0", "30", " 7 ", "12.0", "-3", "1e2", "abc", "99999999999999999999"]
)
directions = st.sampled_from(["呼入", "inbound", "IN", "outbound", "呼出", " Out ", "sideways", ""])
agents = st.sampled_from(["A001", "A002", "", " A001 ", "Z9"])
rows = st.lists(
    st.tuples(
        st.sampled_from(["C1", "C2", "C3", "C4", "", " C5 "]), directions,
        st.sampled_from(["Q1", ""]), agents, st.sampled_from(["K1", "", "K2"]),
        times, times, times, seconds, seconds,
    ),
    max_size=12,
)  # fmt: skip


def options(tmp_path, **changes):
    values = {
        "zone": ZoneInfo("Asia/Shanghai"),
        "now": NOW,
        "report_dir": tmp_path / "reports",
        "known_employees": frozenset({"A001"}),
        "quarantine": True,
    }
    values.update(changes)
    return ImportOptions(**values)


def csv_text(records, header=HEADERS):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return out.getvalue()


def staged(tmp_path, path, stage, name):
    source = SOURCES["calls"]
    _name, headers, _line, _rows = stream_table(path)
    opts = options(tmp_path / name)
    mapped = _map_headers(source, headers, opts)
    staging = tmp_path / f"{name}.parquet"
    result = stage(source, path, path.name, headers, mapped, 1, staging, opts)
    result.report.close()
    found = duckdb.sql(f"SELECT * FROM read_parquet('{staging}') ORDER BY _line").fetchall()
    problems = [(p.line, p.field, p.reason) for p in result.report.kept]
    return found, problems, result.rows_read, dict(result.unknown)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=rows, blank_lines=st.lists(st.integers(0, 12), max_size=2))
def test_both_paths_agree_row_for_row(tmp_path_factory, records, blank_lines):
    tmp_path = tmp_path_factory.mktemp("agree")
    records = [list(r) for r in records]
    for at in blank_lines:
        records.insert(min(at, len(records)), [""] * len(HEADERS))
    path = tmp_path / "calls.csv"
    path.write_text(csv_text(records), encoding="utf-8")
    fast = staged(tmp_path, path, partial(_stage_blocks, quoted=True), "fast")
    slow = staged(tmp_path, path, _stage_rows, "slow")
    assert fast == slow


def test_a_line_break_in_a_cell_keeps_the_line_numbers_right(tmp_path):
    text = (
        csv_text(
            [["C1", "呼入", "Q1", "A001", "K1", "2026-09-01 09:00:00", "", "2026-09-01 09:01:00"]]
        )
        + 'C2,呼入,"two\nlines",A001,K1,2026-09-01 09:00:00,,2026-09-01 09:01:00,,\n'
        + "C3,呼入,Q1,A001,K1,2026-09-01 09:00:00,,not a time,,\n"
    )
    path = tmp_path / "calls.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ImportRefused) as refused:
        import_file(
            Lake(tmp_path / "lake"), "calls", path, "calls.csv", options(tmp_path, quarantine=False)
        )
    assert [(p.line, p.field) for p in refused.value.problems] == [(5, "ended_at")]


def test_blank_lines_are_skipped_and_counted_out(tmp_path):
    record = [
        "C1",
        "呼入",
        "Q1",
        "A001",
        "K1",
        "2026-09-01 09:00:00",
        "",
        "2026-09-01 09:01:00",
        "",
        "",
    ]
    bad = ["C2", "呼入", "Q1", "A001", "K1", "2026-09-01 09:00:00", "", "soon", "", ""]
    path = tmp_path / "calls.csv"
    path.write_text(
        csv_text([record, [""] * 10]) + "\n\n" + csv_text([bad], header=[]), encoding="utf-8"
    )
    with pytest.raises(ImportRefused) as refused:
        import_file(
            Lake(tmp_path / "lake"), "calls", path, "calls.csv", options(tmp_path, quarantine=False)
        )
    # line 1 header, 2 record, 3 empty cells, 4–5 empty lines, 6 empty header row, 7 bad
    assert [(p.line, p.field) for p in refused.value.problems] == [(7, "ended_at")]


def test_the_same_records_from_csv_and_xlsx_are_the_same_records(tmp_path):
    records = [
        ["C1", "呼入", "Q1", "A001", "K1", "2026-09-01 09:00:00", "2026-09-01 09:00:09",
         "2026-09-01 09:03:00", "0", "20"],
        ["C2", "outbound", "Q2", "A002", "", "2026-09-01T10:00:00", "",
         "2026-09-01T10:00:30", "", ""],
    ]  # fmt: skip
    lake = Lake(tmp_path / "lake")
    path = tmp_path / "calls.csv"
    path.write_text(csv_text(records), encoding="utf-8")
    first = import_file(lake, "calls", path, "calls.csv", options(tmp_path))
    book = Workbook()
    book.active.append(HEADERS)
    for record in records:
        book.active.append(record)
    xlsx = tmp_path / "calls.xlsx"
    book.save(xlsx)
    again = import_file(lake, "calls", xlsx, "calls.xlsx", options(tmp_path))
    assert (first.accepted, again.accepted, again.replaced, again.unchanged) == (2, 0, 0, 2)
    assert first.unknown_employees == again.unknown_employees == {"A002": 1}


def test_progress_reports_the_share_of_the_file_read(tmp_path, monkeypatch):
    monkeypatch.setattr(_fastcsv, "BLOCK_BYTES", 1 << 20)
    record = [
        "C{}",
        "呼入",
        "Q1",
        "A001",
        "K1",
        "2026-09-01 09:00:00",
        "",
        "2026-09-01 09:01:00",
        "",
        "",
    ]
    many = [[record[0].format(i), *record[1:]] for i in range(200_000)]
    path = tmp_path / "calls.csv"
    path.write_text(csv_text(many), encoding="utf-8")
    seen = []
    opts = options(tmp_path, progress=lambda rows, share: seen.append((rows, share)))
    batch = import_file(Lake(tmp_path / "lake"), "calls", path, "calls.csv", opts)
    assert batch.accepted == 200_000
    assert len(seen) > 1
    assert seen[-1] == (200_000, 1.0)
    shares = [share for _rows, share in seen]
    assert shares == sorted(shares)
    assert 0 < shares[0] < 0.5


def test_plain_rows_never_reach_the_row_reader(tmp_path):
    records = [
        ["C1", "呼入", "Q1", "A001", "K1", "2026-09-01 09:00:00", "2026-09-01T09:00:09",
         "2026-09-01 09:03", "0", "20"],
        ["C2", "OUT", "", "A002", "", "2026-02-28 23:59:59", "", "2026-03-01 00:00:30", "", ""],
    ]  # fmt: skip
    path = tmp_path / "calls.csv"
    path.write_text(csv_text(records), encoding="utf-8")
    source = SOURCES["calls"]
    mapped = _map_headers(source, tuple(HEADERS), options(tmp_path))
    converter = _fastcsv.BlockConverter(source, mapped, ZoneInfo("Asia/Shanghai"), None)
    (batch,) = _fastcsv.string_batches(path, "utf-8-sig", ",", len(HEADERS))
    table, leftovers = converter.convert(batch, first_line=2)
    assert leftovers == []
    assert table.column("_line").to_pylist() == [2, 3]
    assert table.column("direction").to_pylist() == ["inbound", "outbound"]
    assert [str(t) for t in table.column("ended_at").to_pylist()] == [
        "2026-09-01 01:03:00+00:00",
        "2026-02-28 16:00:30+00:00",
    ]
    assert [str(d) for d in table.column("ended_at_date").to_pylist()] == [
        "2026-09-01",
        "2026-03-01",
    ]
