"""Through which door a write came, for its audit row: the API marks the requests that came
with an access token, and ``record`` notes the token's name.

A context variable rather than a parameter, so that every action records it without each
``do_*`` taking it; the API's middleware opens a fresh scope for each request, so that a
token's name never outlives its request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_token_name: ContextVar[str] = ContextVar("kaohe_audit_token_name", default="")


def acting_through_token(name: str) -> None:
    _token_name.set(name)


def token_name() -> str:
    return _token_name.get()


@contextmanager
def request_scope() -> Iterator[None]:
    reset = _token_name.set("")
    try:
        yield
    finally:
        _token_name.reset(reset)
