"""``kaohe access``: granting and revoking roles from the command line, on an empty home."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(home, *args):
    env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    env.pop("KAOHE_LANG", None)  # the tests choose the language
    env["DJANGO_SUPERUSER_PASSWORD"] = "a-long-test-password-1"
    return subprocess.run(
        [sys.executable, "-m", "kaohe", *args], capture_output=True, text=True, env=env, check=False
    )


def test_grant_list_and_revoke(tmp_path):
    home = tmp_path / "home"
    demo = run(home, "demo", "--no-serve", "--no-data")
    assert demo.returncode == 0, demo.stderr
    made = run(
        home, "manage", "createsuperuser", "--noinput", "--username", "hr2", "--email", "a@b.cn"
    )
    assert made.returncode == 0, made.stderr

    granted = run(home, "access", "grant", "hr2", "hr_admin", "--department", "企服部/客服中心")
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.strip() == "hr2：hr_admin，范围：企服部/客服中心"
    listed = run(home, "access", "list").stdout.splitlines()
    assert listed[0].split() == ["账号", "角色", "范围"]
    assert "hr2   hr_admin   企服部/客服中心" in listed
    assert "hr    hr_admin   全组织" in listed
    in_english = run(home, "access", "list", "--lang", "en").stdout.splitlines()
    assert in_english[0].split() == ["account", "role", "scope"]
    assert "hr       hr_admin   whole organisation" in in_english

    revoked = run(home, "access", "revoke", "hr2", "hr_admin")
    assert (revoked.returncode, revoked.stdout.strip()) == (0, "hr2：已撤销 hr_admin")
    assert "hr2" not in run(home, "access", "list").stdout
    run(home, "access", "grant", "hr2", "executive")
    revoked = run(home, "access", "revoke", "hr2", "executive", "--lang", "en")
    assert (revoked.returncode, revoked.stdout.strip()) == (0, "hr2: executive revoked")


def test_grant_in_english(tmp_path):
    home = tmp_path / "home"
    run(home, "manage", "createsuperuser", "--noinput", "--username", "x", "--email", "x@y.cn")
    granted = run(home, "access", "grant", "x", "executive", "--lang", "en")
    assert granted.returncode == 0, granted.stderr
    assert granted.stdout.strip() == "x: executive for whole organisation"


def test_refusals_are_one_line_in_either_language(tmp_path):
    home = tmp_path / "home"
    unknown_user = run(home, "access", "grant", "ghost", "executive")
    assert unknown_user.returncode == 1
    assert unknown_user.stderr.strip().splitlines() == [
        "kaohe: 没有名为 'ghost' 的账号（可用 kaohe manage createsuperuser 创建）"
    ]
    in_english = run(home, "access", "grant", "ghost", "executive", "--lang", "en")
    assert in_english.stderr.strip().splitlines() == [
        "kaohe: no account named 'ghost' (create it: kaohe manage createsuperuser)"
    ]
    run(home, "manage", "createsuperuser", "--noinput", "--username", "x", "--email", "x@y.cn")
    grant = ("access", "grant", "x", "hr_admin", "--department", "无此部门")
    unknown_department = run(home, *grant)
    assert unknown_department.returncode == 1
    assert "kaohe: 「--department」：没有路径为 '无此部门' 的部门" in unknown_department.stderr
    in_english = run(home, *grant, "--lang", "en")
    assert "--department: no department with the path '无此部门'" in in_english.stderr
    not_granted = run(home, "access", "revoke", "x", "executive")
    assert not_granted.returncode == 1
    assert "'x' 没有 executive 角色" in not_granted.stderr
    in_english = run(home, "access", "revoke", "x", "executive", "--lang", "en")
    assert "'x' does not have the role executive" in in_english.stderr
