"""The synthetic data generator: repeatable, and every row it writes imports cleanly."""

import hashlib
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kaohe.metrics import (
    CatalogOptions,
    ImportOptions,
    Lake,
    Staff,
    compute,
    generate,
    import_file,
    parse_period,
    sources_in_order,
)

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, tzinfo=ZONE)

STAFF = [
    Staff("D1", "director"),
    Staff("L1", "lead", "客服一组"),
    *(Staff(f"A{n}", "agent", "客服一组") for n in range(4)),
    Staff("B1", "buyer"),
    Staff("M1", "admin"),
    Staff("T1", "tech"),
]


def digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_the_same_arguments_write_the_same_files(tmp_path):
    first, counts = generate(tmp_path / "a", STAFF, date(2026, 9, 28), date(2026, 10, 9))
    second, _ = generate(tmp_path / "b", STAFF, date(2026, 9, 28), date(2026, 10, 9))
    assert digest(first) == digest(second)
    assert counts.calls > 0
    assert counts.tickets > 0


def test_generated_files_import_without_a_single_problem(tmp_path):
    files, counts = generate(tmp_path / "data", STAFF, date(2026, 9, 1), date(2026, 9, 30))
    lake = Lake(tmp_path / "lake")
    options = ImportOptions(zone=ZONE, now=NOW, report_dir=tmp_path / "reports")
    for source, path in sources_in_order(files):
        batch = import_file(lake, source, path, path.name, options)  # raises on any bad row
        assert batch.accepted == getattr(counts, source)
    values = compute(lake, parse_period("2026-09"), CatalogOptions(zone=ZONE, now=NOW))
    org = {v.metric: v.value for v in values if v.subject_type == "org"}
    assert 85 < org["answer_rate"] < 97  # about 10 % unanswered, a third of those short
    assert 200 < org["avg_talk_seconds"] < 450
    assert org["csat_rate"] > 70
    assert org["kb_updates"] > 0


def test_holidays_are_quieter(tmp_path):
    files, _ = generate(tmp_path / "data", STAFF, date(2026, 9, 28), date(2026, 10, 9))
    calls = (tmp_path / "data" / "calls.csv").read_text(encoding="utf-8").splitlines()[1:]
    per_day = {}
    for line in calls:
        day = line.split(",")[5][:10]
        per_day[day] = per_day.get(day, 0) + 1
    assert per_day["2026-10-02"] < 0.6 * per_day["2026-09-29"]  # National Day vs a Tuesday
    assert files
