"""Sign-in lock-out: the client's address, when failures lock, and the page that says so.

django-axes records failed sign-ins as ``AccessAttempt`` rows, one per sign-in name, client
address and browser, each stamped with the time of its latest failure; a row counts while that
time is within the cool-off (``AXES_COOLOFF_TIME``, 15 minutes). kaohe locks in two ways:

- per account: ``SIGNIN_FAILURES_PER_ACCOUNT`` (5) failures for one sign-in name from one
  address lock that name out from that address. This is axes' own lock-out, with the lock-out
  parameters (name, address), so that nobody can lock someone out from everywhere.
- per address: ``SIGNIN_FAILURES_PER_ADDRESS`` (30) failures from one address, whatever the
  names, lock that address out for every name, so that trying one password on every account
  is not unlimited.

axes knows one failure limit. It compares one count, ``get_failures()``, with
``AXES_FAILURE_LIMIT`` (the per-account limit) both when it decides whether to let an attempt
through and when it decides whether the failure it has just recorded locks. So the one override
in ``SignInLockoutHandler`` is that count: the account's failures, raised to the account limit
while the address's failures are at the address limit. The address is deliberately not a second
axes lock-out parameter: a successful sign-in (``AXES_RESET_ON_SUCCESS``) clears the failures
matching every parameter, so anyone with one working account could clear their address's count.

Attempts made while locked out are refused without being recorded
(``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False``): trying again does not extend a lock.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The address a request comes from, for the lock-out (``AXES_CLIENT_IP_CALLABLE``).

    Behind kaohe's reverse proxy (``BEHIND_PROXY``) that is the address the proxy appended to
    ``X-Forwarded-For``: the right-most entry. Entries to its left came from the client and
    prove nothing. Otherwise, and when the header holds no address, it is ``REMOTE_ADDR``: a
    client's own header is never believed.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if _is_address(forwarded):
            return forwarded
    return request.META.get("REMOTE_ADDR")


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


class SignInLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with the per-address limit as well (see the module docstring)."""

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        failures: int = super().get_failures(request, credentials)
        if _failures(_recent_from_address(request)) >= settings.SIGNIN_FAILURES_PER_ADDRESS:
            return max(failures, get_failure_limit(request, credentials))
        return failures


@dataclass(frozen=True)
class Lock:
    """A lock on sign-in: until when, and whether it holds for every name from the address."""

    ends: datetime
    whole_address: bool

    @property
    def opens_at(self) -> datetime:
        """The end rounded up to the minute, as people read a clock."""
        rounded = self.ends.replace(second=0, microsecond=0)
        return rounded if rounded == self.ends else rounded + timedelta(minutes=1)


def current_lock(request: Any, credentials: dict[str, Any] | None = None) -> Lock | None:
    """The lock this sign-in attempt ran into, if any."""
    from_address = _recent_from_address(request)
    username = get_client_username(request, credentials)
    account_end = _end_of_lock(
        from_address.filter(username=username), get_failure_limit(request, credentials), request
    )
    address_end = _end_of_lock(from_address, settings.SIGNIN_FAILURES_PER_ADDRESS, request)
    ends = [end for end in (account_end, address_end) if end is not None]
    if not ends:
        return None
    return Lock(ends=max(ends), whole_address=address_end is not None)


def lockout_response(
    request: Any, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The lock-out page (``AXES_LOCKOUT_CALLABLE``): why, until when, and who can help."""
    cool_off = get_cool_off(request) or timedelta(0)
    context = {
        "lock": current_lock(request, credentials),
        "cool_off_minutes": int(cool_off.total_seconds() // 60),
    }
    return render(
        request, "accounts/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _recent_from_address(request: Any) -> QuerySet[AccessAttempt]:
    """The failures from the request's address that still count."""
    return AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
    )


def _failures(attempts: QuerySet[AccessAttempt]) -> int:
    total: int | None = attempts.aggregate(total=Sum("failures_since_start"))["total"]
    return total or 0


def _end_of_lock(attempts: QuerySet[AccessAttempt], limit: int, request: Any) -> datetime | None:
    """When the failures in ``attempts`` drop below ``limit`` as the oldest stop counting.

    Newest first, the row that brings the count to the limit is the one whose leaving the
    cool-off opens sign-in again; None when the count is below the limit already.
    """
    cool_off = get_cool_off(request) or timedelta(0)
    counted = 0
    rows = attempts.order_by("-attempt_time").values_list("attempt_time", "failures_since_start")
    for attempt_time, failures in rows:
        counted += failures
        if counted >= limit:
            return attempt_time + cool_off
    return None
