"""Sign-in lock-out: the client's own address behind the proxy, a limit per address across
accounts, locks that end a cool-off after they began, and a page that says when."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from kaohe.accounts.lockout import client_address

from .factory import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PROXY = "10.0.0.2"  # the reverse proxy: every request reaches kaohe from here when behind it


def sign_in(username, password, forwarded_for=None, remote_addr="127.0.0.1"):
    """One attempt from a fresh browser; ``forwarded_for`` is the X-Forwarded-For header."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return Client(REMOTE_ADDR=remote_addr).post(
        reverse("login"), {"username": username, "password": password}, headers=headers
    )


def fail(times, username="ann", **where):
    for _ in range(times):
        sign_in(username, "wrong", **where)


def minutes_pass(minutes):
    """Move the lock-out's clock on: every recorded failure happened that much earlier."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=minutes))


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True


# --- the client's address ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("behind", "header", "address"),
    [
        (False, None, PROXY),
        (False, "203.0.113.5", PROXY),  # a client's own header is never believed
        (True, "203.0.113.5", "203.0.113.5"),
        (True, "198.51.100.7, 203.0.113.5", "203.0.113.5"),  # what the client sent is left
        (True, "2001:db8::5", "2001:db8::5"),
        (True, None, PROXY),
        (True, "198.51.100.7, not-an-address", PROXY),
    ],
)
def test_the_client_address(settings, behind, header, address):
    settings.BEHIND_PROXY = behind
    meta = {"REMOTE_ADDR": PROXY}
    if header:
        meta["HTTP_X_FORWARDED_FOR"] = header
    assert client_address(RequestFactory().get("/", **meta)) == address


def test_without_the_proxy_setting_a_forged_header_does_not_escape_the_lock(org):
    for number in range(5):
        sign_in("ann", "wrong", forwarded_for=f"203.0.113.{number}")
    assert sign_in("ann", PASSWORD, forwarded_for="198.51.100.7").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_the_proxy_one_client_cannot_lock_out_another(org, behind_proxy):
    fail(5, forwarded_for="203.0.113.5", remote_addr=PROXY)
    assert sign_in("ann", PASSWORD, "203.0.113.5", remote_addr=PROXY).status_code == 429
    # Ann herself, at another address behind the same proxy, signs in.
    assert sign_in("ann", PASSWORD, "198.51.100.7", remote_addr=PROXY).status_code == 302


def test_behind_the_proxy_a_client_cannot_choose_its_address(org, behind_proxy):
    # The client sends X-Forwarded-For itself; the proxy appends the address it saw.
    for number in range(5):
        fail(1, forwarded_for=f"198.51.100.{number}, 203.0.113.5", remote_addr=PROXY)
    assert sign_in("ann", PASSWORD, "203.0.113.5", remote_addr=PROXY).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", "failures_since_start")) == [
        ("203.0.113.5", 5)
    ]


# --- the limits ----------------------------------------------------------------------------


def test_one_address_trying_every_account_is_locked_out_for_all(org):
    for number in range(29):
        fail(1, username=f"guess{number:02d}")
    assert sign_in("bob", PASSWORD).status_code == 302  # 29 failures: still open
    locked = sign_in("guess29", "wrong")
    assert locked.status_code == 429
    assert "此地址对多个账号输错密码次数过多" in locked.content.decode()
    # From here every account is closed, the right password too...
    ann = sign_in("ann", PASSWORD)
    assert ann.status_code == 429
    # ...but only from this address.
    assert sign_in("ann", PASSWORD, remote_addr="192.0.2.9").status_code == 302
    # Attempts while locked are not counted, so the lock ends a cool-off after it began.
    minutes_pass(15)
    assert sign_in("ann", PASSWORD).status_code == 302


def test_the_per_account_limit_still_holds_below_the_address_limit(org):
    fail(5, username="ann")
    assert sign_in("ann", PASSWORD).status_code == 429
    assert sign_in("amy", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_only_its_own_failures(org):
    for number in range(25):
        fail(1, username=f"guess{number:02d}")
    fail(4, username="amy")
    assert sign_in("amy", PASSWORD).status_code == 302  # amy's four no longer count
    fail(4, username="guess99")
    assert sign_in("bob", PASSWORD).status_code == 302  # 25 + 4 = 29
    fail(1, username="guess98")
    assert sign_in("bob", PASSWORD).status_code == 429  # 30


@pytest.mark.parametrize(
    ("environment", "limits"),
    [({}, "5 30"), ({"PER_ACCOUNT": "3", "PER_ADDRESS": "100"}, "3 100")],
)
def test_the_limits_are_settings(tmp_path, environment, limits):
    run = _settings_in_a_subprocess(tmp_path, environment)
    assert run.returncode == 0, run.stderr
    assert run.stdout.split() == limits.split()


@pytest.mark.parametrize("value", ["0", "-1", "five", "2.5"])
def test_a_bad_limit_stops_start_up_with_the_reason(tmp_path, value):
    run = _settings_in_a_subprocess(tmp_path, {"PER_ADDRESS": value})
    assert run.returncode != 0
    assert f"KAOHE_SIGNIN_FAILURES_PER_ADDRESS must be a whole number from 1, not '{value}'" in (
        run.stderr
    )


def _settings_in_a_subprocess(tmp_path, environment):
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "KAOHE_HOME": str(tmp_path)}
    env.update({f"KAOHE_SIGNIN_FAILURES_{name}": value for name, value in environment.items()})
    code = (
        "from kaohe import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.SIGNIN_FAILURES_PER_ADDRESS); "
        "assert s.AXES_FAILURE_LIMIT == s.SIGNIN_FAILURES_PER_ACCOUNT"
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )


# --- how long a lock lasts -----------------------------------------------------------------


def test_trying_again_while_locked_does_not_extend_the_lock(org):
    fail(5)
    minutes_pass(10)
    assert sign_in("ann", "wrong").status_code == 429
    assert sign_in("ann", PASSWORD).status_code == 429  # still locked, even the right one
    assert AccessAttempt.objects.get().failures_since_start == 5  # neither was counted
    minutes_pass(4)
    assert sign_in("ann", PASSWORD).status_code == 429  # 14 minutes after the lock began
    minutes_pass(1)
    assert sign_in("ann", PASSWORD).status_code == 302  # 15 minutes after


# --- the page ------------------------------------------------------------------------------


def _expected_clock(org):
    """When the lock on ann ends, on the wall clock, rounded up to the minute."""
    ends = timezone.localtime(AccessAttempt.objects.get().attempt_time + timedelta(minutes=15))
    if ends.second or ends.microsecond:
        ends = ends.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return ends.strftime("%H:%M")


def test_the_locked_out_page_says_in_chinese_when_to_try_again_and_who_can_help(org):
    fail(5)
    page = sign_in("ann", PASSWORD)
    assert page.status_code == 429
    html = page.content.decode()
    assert "登录已暂停" in html
    assert "该账号从此地址输错密码次数过多。" in html
    assert re.search(rf"{_expected_clock(org)} 起可以再试（1[45]\xa0分钟后）。", html), html
    assert "如需提前解除，请联系 HR 管理员。" in html


def test_the_locked_out_page_in_english(org):
    fail(5)
    page = Client().post(
        reverse("login"),
        {"username": "ann", "password": PASSWORD},
        headers={"Accept-Language": "en"},
    )
    assert page.status_code == 429
    html = page.content.decode()
    assert "Too many wrong passwords for this account from this address." in html
    assert re.search(
        rf"You can try again from {_expected_clock(org)} \(in 1[45]\xa0minutes\)", html
    )
    assert "Your HR administrator can unlock sign-in sooner." in html


def test_the_sign_in_page_states_the_limit_from_the_settings(client, db, settings):
    settings.SIGNIN_FAILURES_PER_ACCOUNT = 7
    page = client.get(reverse("login")).content.decode()
    assert "连续输错 7 次密码后，登录将暂停 15 分钟。" in page


def test_hr_unlocks_an_account_with_the_documented_command(org):
    from django.core.management import call_command

    fail(5)
    assert sign_in("ann", PASSWORD).status_code == 429
    call_command("axes_reset_username", "ann", verbosity=0)
    assert sign_in("ann", PASSWORD).status_code == 302
