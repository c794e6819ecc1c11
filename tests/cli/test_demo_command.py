"""``kaohe demo`` and ``kaohe demo-data`` on an empty home, in either language.

The demo always runs on a SQLite file under its own home, so these run once, in the
SQLite suite."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .test_cli import on_empty_home as run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("home")


@pytest.fixture(scope="module")
def first(home):
    """The first start of the demo, with nothing chosen: in Chinese."""
    started = run(home, "demo", "--no-serve", "--no-data")
    assert started.returncode == 0, started.stderr
    return started.stdout.splitlines()


def test_the_first_start_speaks_chinese(home, first):
    assert first[:2] == [
        f"kaohe demo: 邮件写入 {home / 'mail'}/ 下的文件（加 --show-mail 则打印在此终端）",
        "kaohe demo: 已载入演示组织",
    ]
    # Incidents, goals and the 360 come before anyone is rated; without data no history.
    assert re.fullmatch(r"kaohe demo: 已记录 \d+ 条关键事件", first[2])
    assert re.fullmatch(r"kaohe demo: 已设定 \d+ 个 OKR 目标", first[3])
    assert first[4] == "kaohe demo: 已开展 60 份 360 度评估"
    assert first[5] == "kaohe demo: 已发起考核周期「2026年第三季度绩效考核」，共 60 份考核"
    assert first[6].startswith("kaohe demo: 已发起校准会「客服中心 2026年第三季度校准会」")
    assert first[7] == "kaohe demo: 同事间已互致 36 条感谢"
    assert first[8] == "可用以下任一账号登录，密码均为 kaohe-demo："
    assert first[9].split()[0] == "hr"


def test_a_later_start_in_english(home, first):
    again = run(home, "demo", "--no-serve", "--no-data", "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[:3] == [
        f"kaohe demo: mail goes to files in {home / 'mail'}/ (--show-mail prints it here)",
        "kaohe demo: demo data already there",
        "Sign in with any of these accounts, password kaohe-demo:",
    ]
    shown = run(home, "demo", "--no-serve", "--no-data", "--show-mail")
    assert shown.stdout.splitlines()[:2] == [
        "kaohe demo: 邮件打印在此终端",
        "kaohe demo: 演示数据已存在",
    ]


def test_demo_data_in_either_language(home, first):
    made = run(home, "demo-data", "--period", "2026-08", "--scale", "0.02")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[0] == "正在生成并导入 2026-08 的数据，规模 0.02……"
    assert lines[-1].startswith("完成，用时 ")
    assert lines[-1].endswith(" 条）。")
    made = run(home, "demo-data", "--period", "2026-07", "--scale", "0.02", "--lang", "en")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert lines[0] == "Generating and importing 2026-07 at scale 0.02…"
    assert lines[-1].startswith("Done in ")


def test_demo_data_as_no_one(home, first):
    ghost = run(home, "demo-data", "--as", "ghost")
    assert (ghost.returncode, ghost.stdout) == (1, "")
    assert ghost.stderr.strip() == "kaohe: 「--as」：没有名为 'ghost' 的有效账号"
    ghost = run(home, "demo-data", "--as", "ghost", "--lang", "en")
    assert ghost.stderr.strip() == "kaohe: --as: no active account named 'ghost'"


def demo_env(home):
    """The environment of a `kaohe demo` on ``home``, with nothing chosen for it."""
    env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "KAOHE_MAIL_BACKEND", "KAOHE_SITE_URL"):
        env.pop(name, None)
    return env


def test_kaohe_demo_sets_up_an_empty_home(tmp_path):
    env = demo_env(tmp_path / "home")
    first = subprocess.run(
        [sys.executable, "-m", "kaohe", "demo", "--no-serve", "--lang", "en"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    from kaohe.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

    assert "demo organisation loaded" in first.stdout
    for username, _role in DEMO_ACCOUNTS:
        assert username in first.stdout
    assert DEMO_PASSWORD in first.stdout
    assert (tmp_path / "home" / "kaohe.sqlite3").is_file()
    # A quarter of operational data, imported through the lake like real files.
    assert "calls: " in first.stdout
    # Five quarters of operational data (2025-Q3 to 2026-Q2 for a year of history, 2026-Q3),
    # through the lake, and the year's cycles closed before the running one.
    assert len(list((tmp_path / "home" / "lake" / "calls").glob("batch-*.parquet"))) == 5
    assert (
        "3 earlier cycles completed (“2025年第三季度绩效考核” to “2026年第一季度绩效考核”)"
        in first.stdout
    )
    assert "last cycle “2026年第二季度绩效考核” completed" in first.stdout
    metrics = subprocess.run(
        [sys.executable, "-m", "kaohe", "metrics", "--period", "2026-09", "--subject", "org",
         "--json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    values = {v["metric"]: v["value"] for v in json.loads(metrics.stdout)}
    assert 80 < values["answer_rate"] < 100
    assert 150 < values["avg_talk_seconds"] < 600
    assert values["complaint_resolution_rate"] is not None
    earliest = subprocess.run(
        [sys.executable, "-m", "kaohe", "metrics", "--period", "2025-07", "--subject", "org",
         "--json"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert 80 < {v["metric"]: v["value"] for v in json.loads(earliest.stdout)}["answer_rate"] < 100
    second = subprocess.run(
        [sys.executable, "-m", "kaohe", "demo", "--no-serve", "--lang", "en"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert "already there" in second.stdout
    assert "launched" in first.stdout
    assert "launched" not in second.stdout
    # The mail of the walk through the cycle is in files, linking to the demo's address.
    mail = tmp_path / "home" / "mail"
    assert f"mail goes to files in {mail}/" in first.stdout
    files = sorted(mail.glob("*.log"))
    assert files
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    assert "To: qf" in text
    assert "http://127.0.0.1:8000/appraisals/" in text
    assert "Subject:" not in first.stdout + second.stdout
    assert "/appraisals/" not in first.stdout


def test_kaohe_demo_shows_mail_in_the_terminal_when_asked(tmp_path):
    home = tmp_path / "home"
    shown = subprocess.run(
        [sys.executable, "-m", "kaohe", "demo", "--no-serve", "--no-data", "--show-mail",
         "--port", "8123", "--lang", "en"],
        capture_output=True, text=True, env=demo_env(home), check=False,
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    assert "mail is printed here" in shown.stdout
    assert "Subject:" in shown.stdout
    assert "http://127.0.0.1:8123/appraisals/" in shown.stdout  # KAOHE_SITE_URL from the port
    assert not (home / "mail").exists()
