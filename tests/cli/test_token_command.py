"""``kaohe token``: the operator makes, lists and revokes API tokens at the shell."""

import re

from .test_access_command import run


def answer_with(home, secret):
    """The status /api/v1/me answers a request with this token, asked in that home."""
    code = (
        "from django.test import Client; "
        "print(Client().get('/api/v1/me', secure=True, HTTP_HOST='localhost', "
        f"HTTP_AUTHORIZATION='Bearer {secret}').status_code)"
    )
    asked = run(home, "manage", "shell", "-c", code)
    assert asked.returncode == 0, asked.stderr
    return int(asked.stdout.strip().splitlines()[-1])


def test_create_prints_the_token_once_and_it_works_until_revoked(home):
    made = run(home, "token", "create", "hr", "--name", "payroll export", "--scope", "read",
               "--expires", "30", "--lang", "en")  # fmt: skip
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert re.fullmatch(r"kh_[A-Za-z0-9_-]{40,}", secret)
    assert "shown only this once" in made.stderr
    assert "valid until" in made.stderr
    assert answer_with(home, secret) == 200

    listed = run(home, "token", "list", "hr", "--lang", "en").stdout
    assert secret not in listed
    (row,) = [line for line in listed.splitlines() if "payroll export" in line]
    assert "valid" in row
    assert secret[:9] + "…" in row
    token_id = row.split()[0]

    revoked = run(home, "token", "revoke", token_id, "--lang", "en")
    assert revoked.returncode == 0, revoked.stderr
    assert answer_with(home, secret) == 401
    assert "revoked" in run(home, "token", "list", "hr", "--lang", "en").stdout
    again = run(home, "token", "revoke", token_id, "--lang", "en")
    assert again.returncode == 1
    assert "already revoked" in again.stderr


def test_refusals_are_one_line_in_the_chosen_language(home):
    unknown = run(home, "token", "create", "nobody-here")
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == "kaohe: 没有名为 'nobody-here' 的账号"
    assert unknown.stdout == ""
    too_long = run(home, "token", "create", "hr", "--expires", "0", "--lang", "en")
    assert too_long.returncode != 0
    assert "--expires" in too_long.stderr
    missing = run(home, "token", "revoke", "999999", "--lang", "en")
    assert missing.stderr.strip() == "kaohe: no token with the id 999999"
