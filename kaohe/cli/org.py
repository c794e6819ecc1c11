"""``kaohe org import``: the organisation import from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ._output import CommandError
from .django import migrate, setup_django


@click.group()
def org() -> None:
    """The organisation: departments, positions and people."""


@org.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="The HR account doing the import.")
@click.option(
    "--apply", "do_apply", is_flag=True, help="Write the changes (default: preview only)."
)
def import_command(file: Path, username: str, do_apply: bool) -> None:
    """Preview, or with --apply write, an organisation file (CSV or XLSX)."""
    setup_django()
    migrate()
    from django.contrib.auth import get_user_model

    from kaohe.org.actions import do_import_organisation
    from kaohe.org.importing import plan_import, summary
    from kaohe.org.policy import access_for

    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"--as: no active account named '{username}'")
    if not access_for(actor).can_import_organisation():
        raise CommandError(f"--as: '{username}' is not an HR administrator")
    if not file.is_file():
        raise CommandError(f"{file}: no such file")
    plan = plan_import(file, file.name, actor)
    if not plan.ok:
        for problem in plan.problems:
            where = f"line {problem.line}" if problem.line else "file"
            click.echo(f"{file.name}, {where}, {problem.field or '-'}: {problem.reason}", err=True)
        click.echo(f"{len(plan.problems)} problem(s); nothing was written.", err=True)
        sys.exit(1)
    counts = summary(plan)
    click.echo(
        f"{file.name}: {counts['rows']} rows — {counts['created']} to add, "
        f"{counts['updated']} to update, {counts['unchanged']} unchanged, "
        f"{counts['new_departments']} new departments, {counts['new_positions']} new positions"
    )
    for change in plan.updates:
        fields = "; ".join(f"{k}: {b} → {a}" for k, b, a in change.fields)
        click.echo(f"  line {change.person.line} {change.person.number}: {fields}")
    if not do_apply:
        click.echo("Preview only; run again with --apply to write these changes.")
        return
    applied = do_import_organisation(actor, file, file.name)
    if not applied.ok:  # the organisation changed between the check and now
        raise CommandError(f"{file.name}: the organisation changed meanwhile; run again")
    click.echo("Nothing to change." if not applied.has_changes else "Imported.")
