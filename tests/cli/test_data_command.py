"""``kaohe data import``, ``kaohe metrics`` and ``kaohe calendar`` on an empty home."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CALLS = (
    "通话编号,方向,队列,坐席工号,客户编号,进线时间,接通时间,结束时间,话后处理时长\n"
    "c1,呼入,Q1,QF0005,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10,20\n"
    "c2,呼入,Q1,ZZZ9,K2,2026-09-01 09:10:00,2026-09-01 09:10:30,2026-09-01 09:13:30,0\n"
    "c3,呼入,Q1,,K3,2026-09-01 09:20:00,,2026-09-01 09:21:00,\n"
)


def run(home, *args):
    env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    env.pop("KAOHE_LANG", None)  # the tests choose the language
    command = [sys.executable, *map(str, args)] if args[0] == "-c" else [
        sys.executable, "-m", "kaohe", *map(str, args)
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def write(home, name, text):
    path = home / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_then_reimport_then_metrics(home):
    path = write(home, "calls.csv", CALLS)
    first = run(home, "data", "import", "calls", path, "--as", "hr", "--lang", "en")
    assert first.returncode == 0, first.stderr
    assert "3 rows read" in first.stdout
    assert "3 new, 0 replaced, 0 unchanged, 0 rejected" in first.stdout
    assert "not in kaohe (kept, not dropped): ZZZ9" in first.stdout
    assert list((home / "lake" / "calls").glob("batch-*.parquet"))

    again = run(home, "data", "import", "calls", path, "--as", "hr")
    assert "新增 0，替换 0，未变 3" in again.stdout
    assert "没有新数据：数据湖未改变。" in again.stdout

    listed = run(home, "data", "batches", "calls").stdout.strip().splitlines()
    assert len(listed) == 2  # the header and one batch
    assert listed[0].split() == ["数据源", "批次", "文件", "新增", "替换", "未变", "拒收",
                                 "导入人", "导入时间"]  # fmt: skip
    listed = run(home, "data", "batches", "calls", "--lang", "en").stdout.strip().splitlines()
    assert listed[0].split() == [
        "source", "batch", "file", "new", "replaced", "unchanged", "rejected", "by", "when",
    ]  # fmt: skip
    assert listed[1].split()[:3] == ["calls", "1", "calls.csv"]
    nothing = run(home, "data", "batches", "visits")
    assert nothing.stdout.strip() == "尚未导入任何数据。"
    nothing = run(home, "data", "batches", "visits", "--lang", "en")
    assert nothing.stdout.strip() == "Nothing imported yet."

    result = run(home, "metrics", "--period", "2026-09", "--json")
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert set(values[0]) == {
        "subject_type",
        "subject",
        "metric",
        "value",
        "numerator",
        "denominator",
    }
    org = {v["metric"]: v for v in values if v["subject_type"] == "org"}
    assert org["answer_rate"]["numerator"] == 2
    assert org["answer_rate"]["denominator"] == 3
    agent = [v for v in values if v["subject"] == "QF0005" and v["subject_type"] == "employee"]
    assert {v["metric"] for v in agent} >= {"calls_handled", "avg_talk_seconds", "aht_seconds"}
    assert "answer_rate" not in {v["metric"] for v in agent}
    # The agent's own queues: Q1 answered 2 of 3, and QF0005 answered only there.
    own = {v["metric"]: v for v in values if v["subject_type"] == "agent_queues"}
    assert round(own["answer_rate"]["value"], 2) == 66.67
    assert (own["answer_rate"]["numerator"], own["answer_rate"]["denominator"]) == (2 / 3, 1)

    one = run(home, "metrics", "--period", "2026-Q3", "--subject", "QF0005")
    assert one.stdout.splitlines()[0].split() == ["对象", "指标", "值", "分子", "分母"]
    assert "employee:QF0005" in one.stdout
    assert "org" not in one.stdout.replace("employee", "")
    one = run(home, "metrics", "--period", "2026-Q3", "--subject", "QF0005", "--lang", "en")
    header = ["subject", "metric", "value", "numerator", "denominator"]
    assert one.stdout.splitlines()[0].split() == header
    none = run(home, "metrics", "--period", "2026-Q3", "--subject", "NOBODY")
    assert none.stdout.strip() == "该考核期没有数据。"
    none = run(home, "metrics", "--period", "2026-Q3", "--subject", "NOBODY", "--lang", "en")
    assert none.stdout.strip() == "No data for this period."
    as_json = run(home, "metrics", "--period", "2026-Q3", "--subject", "NOBODY", "--json")
    assert json.loads(as_json.stdout) == []


def test_score_an_employee_from_stored_metrics_and_a_values_file(home):
    run(home, "data", "import", "calls", write(home, "calls.csv", CALLS), "--as", "hr")
    # K1 complained an hour after QF0005's call c1: their one answered call converted.
    complaint = (
        "工单编号,类型,客户编号,处理人工号,创建时间\nt1,投诉,K1,QF0009,2026-09-01 10:05:10\n"
    )
    imported = run(home, "data", "import", "tickets", write(home, "tickets.csv", complaint),
                   "--as", "hr")  # fmt: skip
    assert imported.returncode == 0, imported.stderr
    assert run(home, "metrics", "--period", "2026-09").returncode == 0  # stored afresh
    manual = write(
        home,
        "manual.yaml",
        "professional_skill: 4\ncollaboration: 3\nsuggestions_and_extra_tasks: 1\n"
        "violations: 0\npeer_review_score: 4.2\n"
        "csat_rate: 90\nnps: 30\nqa_pass_rate: 96\n",
    )
    result = run(home, "score", "--scheme", "cs-agent", "--employee", "QF0005",
                 "--period", "2026-09", "--values", manual, "--json", "--lang", "en")  # fmt: skip
    assert result.returncode == 0, result.stderr
    indicators = {i["id"]: i for i in json.loads(result.stdout)["indicators"]}
    # From the lake: 300 s of talk read in minutes, the agent's own FCR, and the answer rate
    # of the agent's queues (2 of 3 offered, all in the one queue the agent works).
    assert Decimal(indicators["talk_time"]["values"]["avg_talk_minutes"]) == 5
    assert Decimal(indicators["fcr"]["values"]["fcr_rate"]) == 100
    answered = Decimal(indicators["answer_rate"]["values"]["answer_rate"])
    assert round(answered, 4) == Decimal("66.6667")
    # Complaint conversion from the tickets, typed by nobody: 1 of 1 call → no points.
    conversion = indicators["complaint_conversion"]
    assert Decimal(conversion["values"]["complaint_conversion_rate"]) == 100
    assert Decimal(conversion["points"]) == 0
    stored = ("score", "--scheme", "cs-agent", "--employee", "QF0005", "--period", "2026-09")
    missing = run(home, *stored)
    assert missing.returncode == 1
    assert "kaohe: 缺少输入「" in missing.stderr
    assert "missing inputs" in run(home, *stored, "--lang", "en").stderr
    nobody = ("score", "--scheme", "cs-agent", "--employee", "NOPE", "--period", "2026-09")
    assert run(home, *nobody).stderr.strip() == "kaohe: 「--employee」：没有工号为 NOPE 的人员"
    assert run(home, *nobody, "--lang", "en").stderr.strip() == (
        "kaohe: --employee: no one has the employee number NOPE"
    )
    wrong_period = run(home, "score", "--scheme", "cs-agent", "--employee", "QF0005",
                       "--period", "2026-9", "--lang", "en")  # fmt: skip
    assert "use a month (2026-09)" in wrong_period.stderr


def test_a_bad_file_lists_every_line_and_writes_nothing(home):
    bad = write(
        home, "bad.csv", CALLS.replace("c3,呼入", "c3,sideways") + "c1,呼入,Q1,,K1,later,,x,\n"
    )
    before = (
        sorted((home / "lake" / "calls").glob("*")) if (home / "lake" / "calls").exists() else []
    )
    result = run(home, "data", "import", "calls", bad, "--as", "hr", "--lang", "en")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert "bad.csv, line 4, direction: unknown value 'sideways'" in lines[0]
    assert any("line 5, offered_at" in line for line in lines)
    assert lines[-1].endswith("nothing was imported.")
    chinese = run(home, "data", "import", "calls", bad, "--as", "hr").stderr.strip().splitlines()
    assert chinese[0].startswith("bad.csv, 第 4 行, direction: 无法识别的值 'sideways'")
    assert any(
        "第 5 行, offered_at: 不是有效的时间：'later'（请使用 ISO 8601 格式" in line
        for line in chinese
    )
    assert chinese[-1] == "共 3 处问题；未导入任何数据。"
    after = (
        sorted((home / "lake" / "calls").glob("*")) if (home / "lake" / "calls").exists() else []
    )
    assert after == before


def test_quarantine_keeps_the_bad_rows(home):
    text = CALLS.replace("c1", "q1").replace("c2", "q2").replace("c3,呼入", "q3,sideways")
    result = run(
        home, "data", "import", "calls", write(home, "q.csv", text), "--as", "hr", "--quarantine"
    )
    assert result.returncode == 0, result.stderr
    assert "新增 2" in result.stdout
    assert "拒收 1" in result.stdout
    assert "隔离文件:" in result.stdout


def test_another_systems_headers_with_a_mapping(home):
    text = (
        "Call ID,Dir,Agent No.,Start,End\n"
        "m1,inbound,QF0005,2026-09-02 09:00:00,2026-09-02 09:01:00\n"
    )
    path = write(home, "other.csv", text)
    mapping = write(
        home,
        "map.yaml",
        "Call ID: call_id\nDir: direction\nAgent No.: agent_id\nStart: offered_at\nEnd: ended_at\n",
    )
    result = run(home, "data", "import", "calls", path, "--as", "hr", "--map", mapping)
    assert result.returncode == 0, result.stderr
    assert "新增 1" in result.stdout
    wrong = write(home, "wrong.yaml", "Call ID: call_number\n")
    refused = run(home, "data", "import", "calls", path, "--as", "hr", "--map", wrong)
    assert f"kaohe: 「--map」{wrong}：'Call ID' 对应到 'call_number'，但 calls 没有这一列" in (
        refused.stderr
    )
    assert "「call_id」" in refused.stderr
    refused = run(home, "data", "import", "calls", path, "--as", "hr", "--map", wrong,
                  "--lang", "en")  # fmt: skip
    assert "maps to 'call_number', which is not a calls column" in refused.stderr
    listed = write(home, "list.yaml", "- call_id\n")
    refused = run(home, "data", "import", "calls", path, "--as", "hr", "--map", listed)
    assert refused.stderr.startswith(f"kaohe: 「--map」{listed}：应为列名的对照表")


def test_refusals(home):
    path = write(home, "calls.csv", CALLS)
    agent = run(home, "data", "import", "calls", path, "--as", "agent")
    assert agent.returncode == 1
    assert agent.stderr.strip() == "kaohe: 「--as」：'agent' 无权导入数据"
    agent = run(home, "data", "import", "calls", path, "--as", "agent", "--lang", "en")
    assert agent.stderr.strip() == "kaohe: --as: 'agent' may not import data"
    ghost = run(home, "data", "import", "calls", path, "--as", "ghost")
    assert ghost.stderr.strip() == "kaohe: 「--as」：没有名为 'ghost' 的有效账号"
    ghost = run(home, "data", "import", "calls", path, "--as", "ghost", "--lang", "en")
    assert ghost.stderr.strip() == "kaohe: --as: no active account named 'ghost'"
    period = run(home, "metrics", "--period", "2026-9", "--lang", "en")
    assert period.returncode == 1
    assert "use a month (2026-09)" in period.stderr
    chinese = run(home, "metrics", "--period", "2026-9")
    assert "考核期 '2026-9' 无法识别：请填写月份（2026-09）" in chinese.stderr
    none = home / "none.csv"
    missing = run(home, "data", "import", "calls", none, "--as", "hr")
    assert missing.stderr.strip() == f"kaohe: 「{none}」：找不到该文件"
    missing = run(home, "data", "import", "calls", none, "--as", "hr", "--lang", "en")
    assert missing.stderr.strip() == f"kaohe: {none}: no such file"


def test_calendar_overrides(home):
    listed = run(home, "calendar", "list", "2027").stdout
    assert listed.strip() == "2027 年：法定节假日尚不知道 —— 请用 kaohe calendar set 补上"
    listed = run(home, "calendar", "list", "2027", "--lang", "en").stdout
    assert "2027: statutory holidays NOT known — add them with kaohe calendar set" in listed
    made = run(home, "calendar", "set", "2027-01-01", "off", "--note", "元旦")
    assert (made.returncode, made.stdout.strip()) == (0, "2027-01-01：休息日（元旦）")
    assert "  2027-01-01 休息日 元旦" in run(home, "calendar", "list", "2027").stdout
    listed = run(home, "calendar", "list", "2027", "--lang", "en").stdout
    assert "  2027-01-01 day off 元旦" in listed
    assert "2026 年：法定节假日已知" in run(home, "calendar", "list", "2026").stdout
    known = run(home, "calendar", "list", "2026", "--lang", "en").stdout
    assert "2026: statutory holidays known" in known
    changed = run(home, "calendar", "set", "2027-01-01", "workday", "--note", "改", "--as", "hr",
                  "--lang", "en")  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert changed.stdout.strip() == "2027-01-01: working day (改)"
    refused = run(home, "calendar", "set", "2027-01-02", "off", "--as", "agent")
    assert refused.stderr.strip() == "kaohe: 「--as」：'agent' 无权修改工作日历"
    refused = run(home, "calendar", "set", "2027-01-02", "off", "--as", "agent", "--lang", "en")
    assert refused.stderr.strip() == "kaohe: --as: 'agent' may not change the calendar"
    audit = run(home, "-c", AUDIT_OF_CALENDAR).stdout.strip().splitlines()
    assert audit == [
        "system None {'day': '2027-01-01', 'workday': False, 'note': '元旦'}",
        "hr {'day': '2027-01-01', 'workday': False, 'note': '元旦'} "
        "{'day': '2027-01-01', 'workday': True, 'note': '改'}",
    ]


AUDIT_OF_CALENDAR = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
django.setup()
from kaohe.audit.models import AuditEntry
for entry in AuditEntry.objects.filter(action="calendar.set").order_by("id"):
    who = entry.actor.get_username() if entry.actor else entry.actor_name
    print(who, *([entry.before] if entry.before else ["None"]), entry.after)
"""


def test_data_check_settles_the_lake_and_says_what_it_did(home):
    run(home, "data", "import", "calls", write(home, "calls.csv", CALLS), "--as", "hr")
    clean = run(home, "data", "check", "--lang", "en")
    assert (clean.returncode, clean.stdout.strip()) == (0, "The lake and the database agree.")
    folder = home / "lake" / "calls"
    (folder / ".staging-9.parquet").write_bytes(b"left by a killed import")
    repaired = run(home, "data", "check")
    assert repaired.returncode == 0
    assert "calls: 删除了未登记的文件 .staging-9.parquet" in repaired.stdout
    assert not (folder / ".staging-9.parquet").exists()
    manifest = (folder / "manifest.json").read_text(encoding="utf-8")
    (folder / "manifest.json").write_text("[]", encoding="utf-8")  # the lake lost its batch
    try:
        broken = run(home, "data", "check", "--lang", "en")
        assert broken.returncode == 1
        assert "the database records batch 1, but the lake does not hold it" in broken.stdout
        assert "needs a person" in broken.stderr
    finally:
        (folder / "manifest.json").write_text(manifest, encoding="utf-8")


def test_the_progress_bar_shows_the_share_read_or_only_the_rows():
    from kaohe.cli.data import _progress_line

    assert _progress_line("calls.csv", 4_000_000, 0.4, 310_000.0, "en") == (
        "calls.csv [########------------]  40%  4,000,000 rows (310,000/s)"
    )
    assert _progress_line("calls.xlsx", 20_000, None, 9_000.0, "en") == (
        "calls.xlsx: 20,000 rows (9,000/s) read"
    )
    assert _progress_line("calls.csv", 4_000_000, 0.4, 310_000.0, "zh") == (
        "calls.csv [########------------]  40%  4,000,000 行（每秒 310,000 行）"
    )
    assert _progress_line("calls.xlsx", 20_000, None, 9_000.0, "zh") == (
        "calls.xlsx：已读取 20,000 行（每秒 9,000 行）"
    )


def test_starting_kaohe_settles_the_lake_first(home):
    run(home, "data", "import", "calls", write(home, "calls.csv", CALLS), "--as", "hr")
    stray = home / "lake" / "calls" / "batch-000099.parquet"
    stray.write_bytes(b"placed by an import killed before the manifest named it")
    started = run(home, "demo", "--no-serve", "--no-data")
    assert started.returncode == 0, started.stderr
    assert not stray.exists()
    assert "removed batch-000099.parquet, which no batch lists" in started.stderr  # logged
