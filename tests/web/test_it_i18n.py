"""Languages: Chinese by default, English on request, the choice remembered, catalogs whole."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def test_chinese_is_the_default(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "登录" in page


def test_a_browser_asking_for_english_gets_english(client, db):
    page = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Sign in" in page.content.decode()


def test_the_language_switch_sets_a_lasting_cookie(client_for, org):
    client = client_for("ann")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    cookie = client.cookies["django_language"]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 60 * 60 * 24 * 365
    assert "Hello" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "您好" in client.get(reverse("home")).content.decode()


def test_every_string_is_translated():
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "catalogs.py"), "check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def _msgids(po: Path) -> set[str]:
    text = po.read_text(encoding="utf-8")
    blocks = re.findall(r'^msgid ((?:".*"\n)+)', text, flags=re.M)
    return {"".join(re.findall(r'"((?:[^"\\]|\\.)*)"', b)) for b in blocks} - {""}


def test_the_catalogs_hold_every_string_in_the_code(tmp_path):
    """makemessages on a copy of the code finds no string the catalogs lack."""
    copy = tmp_path / "kaohe"
    shutil.copytree(ROOT / "kaohe", copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(tmp_path),
        "KAOHE_HOME": str(tmp_path / "var"),
    }
    run = subprocess.run(
        [
            sys.executable, "-m", "django", "makemessages", "-l", "zh_Hans", "--no-location",
            "--settings=kaohe.settings", "--ignore", "cli/*", "--ignore", "core/*",
        ],
        cwd=copy, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    found = _msgids(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    committed = _msgids(ROOT / "kaohe" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert found - committed == set(), "run `make messages-update` and translate"
