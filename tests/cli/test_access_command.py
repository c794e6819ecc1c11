"""``kaohe access``: granting and revoking roles from the command line, on an empty home."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(home, *args):
    env = {**os.environ, "KAOHE_HOME": str(home), "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
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
    assert granted.stdout.strip() == "hr2: hr_admin for 企服部/客服中心"
    listed = run(home, "access", "list").stdout
    assert "hr2" in listed
    assert "企服部/客服中心" in listed
    assert "hr               hr_admin   whole organisation" in listed

    revoked = run(home, "access", "revoke", "hr2", "hr_admin")
    assert revoked.returncode == 0
    assert "hr2" not in run(home, "access", "list").stdout


def test_refusals_are_one_line(tmp_path):
    home = tmp_path / "home"
    unknown_user = run(home, "access", "grant", "ghost", "executive")
    assert unknown_user.returncode == 1
    assert unknown_user.stderr.strip().splitlines() == [
        "kaohe: no account named 'ghost' (create it: kaohe manage createsuperuser)"
    ]
    run(home, "manage", "createsuperuser", "--noinput", "--username", "x", "--email", "x@y.cn")
    unknown_department = run(home, "access", "grant", "x", "hr_admin", "--department", "无此部门")
    assert unknown_department.returncode == 1
    assert "no department with the path '无此部门'" in unknown_department.stderr
    not_granted = run(home, "access", "revoke", "x", "executive")
    assert not_granted.returncode == 1
    assert "does not have the role executive" in not_granted.stderr
