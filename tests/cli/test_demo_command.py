"""``kaohe demo`` and ``kaohe demo-data`` on an empty home, in either language."""

import re

import pytest

from .test_cli import on_empty_home as run


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
    assert first[7] == "可用以下任一账号登录，密码均为 kaohe-demo："
    assert first[8].split()[0] == "hr"


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
