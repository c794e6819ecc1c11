"""``kaohe org import`` on an empty home: previews, problems and refusals in either language."""

from .test_cli import on_empty_home as run
from .test_data_command import write

HEADER = "工号,姓名,部门,岗位,在职\n"
NEW = HEADER + "N001,张三,企服部/客服中心,客服专员,是\nN002,李四,企服部/客服中心,客服专员,是\n"


def in_both(home, *args):
    """``kaohe ARGS`` in Chinese, the default, and with ``--lang en``: both runs."""
    return run(home, *args), run(home, *args, "--lang", "en")


def test_preview_then_apply_in_either_language(home):
    path = write(home, "new.csv", NEW)
    chinese, english = in_both(home, "org", "import", path, "--as", "hr")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.splitlines() == [
        "new.csv：共 2 行 —— 新增 2 人，更新 0 人，0 人无变化，新部门 0 个，新岗位 0 个",
        "仅为预览；加上 --apply 再运行一次即写入以上改动。",
    ]
    assert english.stdout.splitlines() == [
        "new.csv: 2 rows — 2 to add, 0 to update, 0 unchanged, 0 new departments, 0 new positions",
        "Preview only; run again with --apply to write these changes.",
    ]
    applied = run(home, "org", "import", path, "--as", "hr", "--apply")
    assert (applied.returncode, applied.stdout.splitlines()[-1]) == (0, "已导入。"), applied.stderr
    again = run(home, "org", "import", path, "--as", "hr", "--apply", "--lang", "en")
    assert again.stdout.splitlines()[-1] == "Nothing to change."
    assert run(home, "org", "import", path, "--as", "hr", "--apply").stdout.splitlines()[-1] == (
        "没有需要改动的内容。"
    )


def test_a_change_is_shown_field_by_field(home):
    run(home, "org", "import", write(home, "new.csv", NEW), "--as", "hr", "--apply")
    text = NEW.replace("李四,企服部/客服中心,客服专员,是", "李斯,企服部/客服中心,客服专员,否")
    changed = write(home, "changed.csv", text)
    chinese, english = in_both(home, "org", "import", changed, "--as", "hr")
    assert "  第 3 行 N002: name: 李四 → 李斯; active: 是 → 否" in chinese.stdout.splitlines()
    assert "  line 3 N002: name: 李四 → 李斯; active: yes → no" in english.stdout.splitlines()


def test_problems_come_in_the_chosen_language(home):
    bad = write(home, "bad.csv", HEADER + "N3,,企服部,客服专员,是\nN4,王五,企服部,客服专员,也许\n")
    chinese, english = in_both(home, "org", "import", bad, "--as", "hr")
    assert (chinese.returncode, chinese.stdout) == (1, "")
    assert chinese.stderr.splitlines() == [
        "bad.csv, 第 2 行, name: 必填，但为空",
        "bad.csv, 第 3 行, active: 应为 是/否 或 yes/no，实际为 '也许'",
        "共 2 处问题；未写入任何内容。",
    ]
    assert english.stderr.splitlines() == [
        "bad.csv, line 2, name: required, but empty",
        "bad.csv, line 3, active: expected 是/否 or yes/no, got '也许'",
        "2 problem(s); nothing was written.",
    ]


def test_refusals_are_one_line_in_either_language(home):
    path = write(home, "new.csv", NEW)
    refusals = [
        (("--as", "ghost"), "kaohe: 「--as」：没有名为 'ghost' 的有效账号",
         "kaohe: --as: no active account named 'ghost'"),
        (("--as", "agent"), "kaohe: 「--as」：'agent' 不是 HR 管理员",
         "kaohe: --as: 'agent' is not an HR administrator"),
    ]  # fmt: skip
    for options, chinese, english in refusals:
        refused, in_english = in_both(home, "org", "import", path, *options)
        assert (refused.returncode, refused.stdout, refused.stderr.strip()) == (1, "", chinese)
        assert in_english.stderr.strip() == english
    none = home / "none.csv"
    chinese, english = in_both(home, "org", "import", none, "--as", "hr")
    assert chinese.stderr.strip() == f"kaohe: 「{none}」：找不到该文件"
    assert english.stderr.strip() == f"kaohe: {none}: no such file"
