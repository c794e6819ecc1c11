"""``kaohe access``: grant and revoke the HR-admin and executive-viewer roles."""

from __future__ import annotations

import click

from kaohe.core import Lang, Text

from ._output import CommandError, headings, lang_option, table
from .django import migrate, setup_django

WHOLE_ORGANISATION = Text("全组织", "whole organisation")


@click.group()
def access() -> None:
    """Who is an HR admin or an executive viewer."""


@access.command("grant")
@click.argument("username")
@click.argument("role", type=click.Choice(["hr_admin", "executive"]))
@click.option(
    "--department",
    "departments",
    multiple=True,
    help="Limit an HR admin to this department path and all below it (repeatable).",
)
@lang_option
def grant(username: str, role: str, departments: tuple[str, ...], lang: Lang) -> None:
    """Give USERNAME a role, for the whole organisation or chosen departments."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from kaohe.org.actions import do_grant_role
    from kaohe.org.models import Department, GrantRole

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(
            Text(
                f"没有名为 '{username}' 的账号（可用 kaohe manage createsuperuser 创建）",
                f"no account named '{username}' (create it: kaohe manage createsuperuser)",
            )
        )
    found = list(Department.objects.filter(path__in=departments))
    unknown = sorted(set(departments) - {d.path for d in found})
    if unknown:
        raise CommandError(
            Text(
                f"「--department」：没有路径为 '{unknown[0]}' 的部门",
                f"--department: no department with the path '{unknown[0]}'",
            )
        )
    do_grant_role(None, user, GrantRole(role), found)  # the operator at the shell
    scope = ", ".join(d.path for d in found) or WHOLE_ORGANISATION(lang)
    click.echo(Text(f"{username}：{role}，范围：{scope}", f"{username}: {role} for {scope}")(lang))


@access.command("revoke")
@click.argument("username")
@click.argument("role", type=click.Choice(["hr_admin", "executive"]))
@lang_option
def revoke(username: str, role: str, lang: Lang) -> None:
    """Take a role away from USERNAME."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from kaohe.org.actions import do_revoke_role
    from kaohe.org.models import GrantRole

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not do_revoke_role(None, user, GrantRole(role)):
        raise CommandError(
            Text(f"'{username}' 没有 {role} 角色", f"'{username}' does not have the role {role}")
        )
    click.echo(Text(f"{username}：已撤销 {role}", f"{username}: {role} revoked")(lang))


@access.command("list")
@lang_option
def list_grants(lang: Lang) -> None:
    """Everyone with a role, and its scope."""
    setup_django()
    migrate()
    from kaohe.org.models import AccessGrant

    rows = [headings(Text("账号|角色|范围", "account|role|scope"), lang)]
    for item in AccessGrant.objects.select_related("user").prefetch_related("departments"):
        scope = ", ".join(d.path for d in item.departments.all()) or WHOLE_ORGANISATION(lang)
        rows.append([item.user.get_username(), item.role, scope])
    click.echo(table(rows))
