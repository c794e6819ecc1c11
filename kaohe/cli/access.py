"""``kaohe access``: grant and revoke the HR-admin and executive-viewer roles."""

from __future__ import annotations

import click

from ._output import CommandError
from .django import migrate, setup_django


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
def grant(username: str, role: str, departments: tuple[str, ...]) -> None:
    """Give USERNAME a role, for the whole organisation or chosen departments."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from kaohe.org.actions import do_grant_role
    from kaohe.org.models import Department, GrantRole

    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(
            f"no account named '{username}' (create it: kaohe manage createsuperuser)"
        )
    found = list(Department.objects.filter(path__in=departments))
    unknown = sorted(set(departments) - {d.path for d in found})
    if unknown:
        raise CommandError(f"--department: no department with the path '{unknown[0]}'")
    do_grant_role(None, user, GrantRole(role), found)  # the operator at the shell
    scope = [d.path for d in found] or ["whole organisation"]
    click.echo(f"{username}: {role} for {', '.join(scope)}")


@access.command("revoke")
@click.argument("username")
@click.argument("role", type=click.Choice(["hr_admin", "executive"]))
def revoke(username: str, role: str) -> None:
    """Take a role away from USERNAME."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from kaohe.org.actions import do_revoke_role
    from kaohe.org.models import GrantRole

    user = get_user_model().objects.filter(username=username).first()
    if user is None or not do_revoke_role(None, user, GrantRole(role)):
        raise CommandError(f"'{username}' does not have the role {role}")
    click.echo(f"{username}: {role} revoked")


@access.command("list")
def list_grants() -> None:
    """Everyone with a role, and its scope."""
    setup_django()
    migrate()
    from kaohe.org.models import AccessGrant

    for item in AccessGrant.objects.select_related("user").prefetch_related("departments"):
        scope = ", ".join(d.path for d in item.departments.all()) or "whole organisation"
        click.echo(f"{item.user.get_username():<16} {item.role:<10} {scope}")
