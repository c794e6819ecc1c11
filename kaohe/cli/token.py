"""``kaohe token``: personal access tokens for the API, made by the operator at the shell."""

from __future__ import annotations

from typing import Any

import click

from kaohe.core import Lang, Text

from ._output import CommandError, headings, lang_option, table
from .django import migrate, setup_django


def _account(username: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(Text(f"没有名为 '{username}' 的账号", f"no account named '{username}'"))
    if not user.is_active:
        raise CommandError(
            Text(f"账号 '{username}' 已停用", f"the account '{username}' is deactivated")
        )
    return user


@click.group()
def token() -> None:
    """Personal access tokens for the API (/api/v1/)."""


@token.command("create")
@click.argument("username")
@click.option("--name", default="", help="What the token is for, e.g. the script using it.")
@click.option(
    "--scope",
    type=click.Choice(["read", "write", "data"]),
    default="read",
    show_default=True,
    help="read: GET only; write: whatever the account may do; data: push data only.",
)
@click.option("--expires", "days", type=click.IntRange(1, 3650), default=None,
              help="Expire after this many days (default: never).")  # fmt: skip
@lang_option
def create(username: str, name: str, scope: str, days: int | None, lang: Lang) -> None:
    """Make a token that acts as USERNAME, and print it once."""
    setup_django()
    migrate()
    from kaohe.tokens.actions import do_create_token
    from kaohe.tokens.models import TokenScope

    user = _account(username)
    label = name.strip() or Text(f"{scope} 令牌", f"{scope} token")(lang)
    made = do_create_token(None, user, label, TokenScope(scope), expires_in_days=days)
    click.echo(made.secret)
    until = made.token.expires_at.date().isoformat() if made.token.expires_at else None
    click.echo(
        Text(
            f"令牌「{label}」（{scope}）代表 {username}，"
            + (f"有效至 {until}" if until else "永不过期")
            + "。它只显示这一次，请妥善保存。",
            f"token '{label}' ({scope}) acting as {username}, "
            + (f"valid until {until}" if until else "never expires")
            + ". It is shown only this once: keep it safe.",
        )(lang),
        err=True,
    )


@token.command("list")
@click.argument("username")
@lang_option
def list_tokens(username: str, lang: Lang) -> None:
    """USERNAME's tokens, with their state; never the tokens themselves."""
    setup_django()
    migrate()
    from django.utils import timezone

    from kaohe.tokens.models import AccessToken

    user = _account(username)
    columns = Text(
        "编号|名称|范围|开头|创建|最近使用|状态", "id|name|scope|begins|created|last used|state"
    )
    rows = [headings(columns, lang)]
    now = timezone.now()
    for item in AccessToken.objects.filter(owner=user):
        rows.append([
            str(item.pk), item.name, item.scope, item.prefix + "…",
            _day(item.created_at), _day(item.last_used_at), _state(item, now)(lang),
        ])  # fmt: skip
    click.echo(table(rows))


def _day(moment: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def _state(item: Any, now: Any) -> Text:
    if item.revoked_at is not None:
        return Text("已撤销", "revoked")
    if item.expires_at is not None and item.expires_at <= now:
        return Text("已过期", "expired")
    return Text("有效", "valid")


@token.command("revoke")
@click.argument("token_id", type=int)
@lang_option
def revoke(token_id: int, lang: Lang) -> None:
    """Revoke the token with this id (see kaohe token list)."""
    setup_django()
    migrate()
    from kaohe.tokens.actions import do_revoke_token
    from kaohe.tokens.models import AccessToken

    found = AccessToken.objects.select_related("owner").filter(pk=token_id).first()
    if found is None:
        raise CommandError(
            Text(f"没有编号为 {token_id} 的令牌", f"no token with the id {token_id}")
        )
    if not do_revoke_token(None, found):
        raise CommandError(
            Text(f"令牌 {token_id} 早已撤销", f"token {token_id} was already revoked")
        )
    click.echo(
        Text(f"令牌 {token_id}（{found.name}）已撤销", f"token {token_id} ({found.name}) revoked")(
            lang
        )
    )
