"""``kaohe org import``: the organisation import from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kaohe.core import Lang, Text

from ._output import CommandError, lang_option, no_such_file, problem_line, where
from .django import active_account, django_language, migrate, setup_django


@click.group()
def org() -> None:
    """The organisation: departments, positions and people."""


@org.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="The HR account doing the import.")
@click.option(
    "--apply", "do_apply", is_flag=True, help="Write the changes (default: preview only)."
)
@lang_option
def import_command(file: Path, username: str, do_apply: bool, lang: Lang) -> None:
    """Preview, or with --apply write, an organisation file (CSV or XLSX)."""
    setup_django()
    migrate()
    from kaohe.org.actions import do_import_organisation
    from kaohe.org.importing import plan_import, summary
    from kaohe.org.policy import access_for

    actor = active_account(username)
    if not access_for(actor).can_import_organisation():
        raise CommandError(
            Text(
                f"「--as」：'{username}' 不是 HR 管理员",
                f"--as: '{username}' is not an HR administrator",
            )
        )
    if not file.is_file():
        raise no_such_file(file)
    with django_language(lang):  # the problems are worded with Django's gettext
        plan = plan_import(file, file.name, actor)
    if not plan.ok:
        for problem in plan.problems:
            line = problem_line(file.name, where(problem.line), problem.field, problem.reason, lang)
            click.echo(line, err=True)
        count = len(plan.problems)
        click.echo(
            Text(
                f"共 {count} 处问题；未写入任何内容。", f"{count} problem(s); nothing was written."
            )(lang),
            err=True,
        )
        sys.exit(1)
    click.echo(_preview(file.name, summary(plan))(lang))
    for change in plan.updates:
        fields = "; ".join(
            f"{k}: {_value(b)(lang)} → {_value(a)(lang)}" for k, b, a in change.fields
        )
        click.echo(f"  {where(change.person.line)(lang)} {change.person.number}: {fields}")
    if not do_apply:
        click.echo(
            Text(
                "仅为预览；加上 --apply 再运行一次即写入以上改动。",
                "Preview only; run again with --apply to write these changes.",
            )(lang)
        )
        return
    with django_language(lang):  # the audit notes, as on the web page
        applied = do_import_organisation(actor, file, file.name)
    if not applied.ok:  # the organisation changed between the check and now
        raise CommandError(
            Text(
                f"{file.name}：组织在此期间有了变动，请重新运行",
                f"{file.name}: the organisation changed meanwhile; run again",
            )
        )
    if applied.has_changes:
        click.echo(Text("已导入。", "Imported.")(lang))
    else:
        click.echo(Text("没有需要改动的内容。", "Nothing to change.")(lang))


def _preview(file_name: str, counts: dict[str, object]) -> Text:
    rows, created, updated = counts["rows"], counts["created"], counts["updated"]
    unchanged, departments = counts["unchanged"], counts["new_departments"]
    positions = counts["new_positions"]
    return Text(
        f"{file_name}：共 {rows} 行 —— 新增 {created} 人，更新 {updated} 人，"
        f"{unchanged} 人无变化，新部门 {departments} 个，新岗位 {positions} 个",
        f"{file_name}: {rows} rows — {created} to add, {updated} to update, "
        f"{unchanged} unchanged, {departments} new departments, {positions} new positions",
    )


def _value(value: object) -> Text:
    """A field's value before or after a change, as a person reads it."""
    if value is None or value == "":
        return Text("（空）", "(empty)")
    if isinstance(value, bool):
        return Text("是", "yes") if value else Text("否", "no")
    return Text(str(value), str(value))
