"""``kaohe data``, ``kaohe metrics`` and ``kaohe calendar``: operational data and KPIs."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click

from kaohe.core import Lang, Text
from kaohe.metrics import SOURCES

from ._output import CommandError, as_lang, lang_option, table
from .django import migrate, setup_django


def _actor(username: str) -> Any:
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(f"--as: no active account named '{username}'")
    return actor


@click.group()
def data() -> None:
    """Import call-centre, ticket, survey, visit and QA records into the data lake."""


@data.command("check")
@lang_option
def check(lang: str) -> None:
    """Check the lake against the database: finish or remove interrupted imports, and
    report what needs a person (exit 1)."""
    setup_django()
    migrate()
    from kaohe.data.services import check_lake

    language = as_lang(lang)
    findings = check_lake()
    for finding in findings:
        click.echo(f"{finding.source}: {finding.text(language)}")
    if not findings:
        click.echo(Text("数据湖与数据库一致。", "The lake and the database agree.")(language))
    if any(finding.needs_person for finding in findings):
        click.echo(
            Text("有需要人工处理的问题（见上）。", "Something above needs a person to look at it.")(
                language
            ),
            err=True,
        )
        sys.exit(1)


@data.command("import")
@click.argument("source", type=click.Choice(list(SOURCES)))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="The HR account doing the import.")
@click.option(
    "--map",
    "header_map_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML mapping another system's column names to kaohe's, e.g. 'Agent No.: agent_id'.",
)
@click.option(
    "--quarantine",
    is_flag=True,
    help="Import the good rows and keep the bad ones in a quarantine file "
    "(default: refuse the whole file).",
)
@lang_option
def import_command(
    source: str,
    file: Path,
    username: str,
    header_map_file: Path | None,
    quarantine: bool,
    lang: str,
) -> None:
    """Import FILE (CSV or XLSX) of SOURCE records."""
    setup_django()
    migrate()
    from kaohe.data.actions import do_import_data
    from kaohe.metrics import ImportRefused, MetricsError

    language = as_lang(lang)
    if not file.is_file():
        raise CommandError(f"{file}: no such file")
    header_map = _header_map(header_map_file, source) if header_map_file else None
    actor = _actor(username)
    started = time.monotonic()
    show = sys.stderr.isatty()

    def progress(rows: int, share: float | None) -> None:
        if show:
            rate = rows / max(time.monotonic() - started, 1e-6)
            click.echo(f"\r{_progress_line(file.name, rows, share, rate)}", err=True, nl=False)

    from django.core.exceptions import PermissionDenied

    try:
        result = do_import_data(
            actor, source, file, file.name, quarantine=quarantine, progress=progress,
            header_map=header_map, lang=language,
        )  # fmt: skip
    except PermissionDenied:
        raise CommandError(f"--as: '{username}' may not import data") from None
    except ImportRefused as refused:
        if show:
            click.echo("", err=True)
        _print_refusal(refused, file.name, language)
        sys.exit(1)
    except MetricsError as error:
        raise CommandError(error.text(language)) from None
    if show:
        click.echo("", err=True)
    _print_batch(result, file.name, time.monotonic() - started, language)


def _print_refusal(refused: Any, file_name: str, lang: Lang) -> None:
    """Each problem on a line — file, line, field: reason — then the count."""
    for problem in refused.problems:
        where, field = problem.where()(lang), problem.field or "-"
        click.echo(f"{file_name}, {where}, {field}: {problem.reason(lang)}", err=True)
    more = refused.total - len(refused.problems)
    if more > 0:
        click.echo(Text(f"……另有 {more:,} 处问题", f"… and {more:,} more")(lang), err=True)
    total = refused.total
    click.echo(
        Text(
            f"共 {total:,} 处问题；未导入任何数据。", f"{total:,} problem(s); nothing was imported."
        )(lang),
        err=True,
    )


def _progress_line(name: str, rows: int, share: float | None, rate: float) -> str:
    """``calls.csv [########------------]  40%  4,000,000 rows (310,000/s)``; without
    the share of the file read (XLSX) only the rows."""
    counted = f"{rows:,} rows ({rate:,.0f}/s)"
    if share is None:
        return f"{name}: {counted} read"
    filled = round(share * 20)
    return f"{name} [{'#' * filled}{'-' * (20 - filled)}] {share:4.0%}  {counted}"


def _header_map(path: Path, source: str) -> dict[str, str]:
    """A site's own column names → kaohe's, checked against the source's columns."""
    import yaml

    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise CommandError(f"--map {path}: cannot read it ({type(error).__name__})") from None
    if not isinstance(mapping, dict):
        raise CommandError(f"--map {path}: expected a mapping of column names")
    known = {column.name for column in SOURCES[source].columns}
    for theirs, ours in mapping.items():
        if ours not in known:
            raise CommandError(
                f"--map {path}: '{theirs}' maps to '{ours}', which is not a {source} column "
                f"({', '.join(sorted(known))})"
            )
    return {str(theirs): str(ours) for theirs, ours in mapping.items()}


def _print_batch(result: Any, file_name: str, seconds: float, lang: Lang) -> None:
    read, new, replaced = result.rows_read, result.accepted, result.replaced
    unchanged, rejected = result.unchanged, result.rejected
    click.echo(
        Text(
            f"{file_name}：读取 {read:,} 行，用时 {seconds:.1f} 秒 —— 新增 {new:,}，替换 "
            f"{replaced:,}，未变 {unchanged:,}，拒收 {rejected:,}",
            f"{file_name}: {read:,} rows read in {seconds:.1f} s — {new:,} new, "
            f"{replaced:,} replaced, {unchanged:,} unchanged, {rejected:,} rejected",
        )(lang)
    )
    if not new and not replaced:
        click.echo(Text("没有新数据：数据湖未改变。", "Nothing new: the lake is unchanged.")(lang))
    labels = (Text("问题清单", "problems"), Text("隔离文件", "quarantine"))
    for label, attribute in zip(labels, ("report_file", "quarantine_file"), strict=True):
        path = getattr(result, attribute, "")
        if path:
            click.echo(f"  {label(lang)}: {path}")
    unknown = getattr(result, "unknown_employees", {})
    if unknown:
        listed, count = ", ".join(list(unknown)[:10]), len(unknown)
        click.echo(
            Text(
                f"  {count:,} 个工号不在 kaohe 中（记录已保留，未丢弃）：{listed}",
                f"  {count:,} employee number(s) not in kaohe (kept, not dropped): {listed}",
            )(lang)
        )


@data.command("batches")
@click.argument("source", required=False)
def batches(source: str | None) -> None:
    """The import batches, newest first."""
    setup_django()
    migrate()
    from django.utils import timezone

    from kaohe.data.models import DataBatch

    found = DataBatch.objects.all()
    if source:
        found = found.filter(source=source)
    rows = [["source", "batch", "file", "new", "replaced", "unchanged", "rejected", "by", "when"]]
    for batch in found[:200]:
        by = batch.imported_by.get_username() if batch.imported_by else ""
        rows.append([
            batch.source, str(batch.seq), batch.file_name, str(batch.accepted), str(batch.replaced),
            str(batch.unchanged), str(batch.rejected), by,
            f"{timezone.localtime(batch.imported_at):%Y-%m-%d %H:%M}",
        ])  # fmt: skip
    click.echo(table(rows))


@click.command()
@click.option("--period", required=True, help="2026-09, 2026-Q3, 2026-H2 or 2026.")
@click.option("--subject", help="An employee number, a queue, or org.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@lang_option
def metrics(period: str, subject: str | None, as_json: bool, lang: str) -> None:
    """Compute every KPI for a period from the data lake, and keep the values for scoring."""
    setup_django()
    migrate()
    from kaohe.data.services import store_metrics
    from kaohe.metrics import MetricsError

    try:
        run = store_metrics(period)
    except MetricsError as error:
        raise CommandError(error.text(as_lang(lang))) from None
    values = list(run.records.order_by("subject_type", "subject", "metric"))
    if subject is not None:
        values = [v for v in values if v.subject == subject]
    if as_json:
        fields = ("subject_type", "subject", "metric", "value", "numerator", "denominator")
        listed = [{name: getattr(v, name) for name in fields} for v in values]
        click.echo(json.dumps(listed, ensure_ascii=False, indent=1))
        return
    rows = [["subject", "metric", "value", "numerator", "denominator"]]
    for v in values:
        rows.append([
            f"{v.subject_type}:{v.subject}", v.metric,
            _shown(v.value),
            "" if v.numerator is None else _shown(v.numerator),
            "" if v.denominator is None else _shown(v.denominator),
        ])  # fmt: skip
    click.echo(table(rows) if values else "No data for this period.")


def _shown(value: float | None) -> str:
    if value is None:
        return "—"  # an empty base
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


@click.group()
def calendar() -> None:
    """Working days beyond the statutory calendar: years not yet published, company days."""


@calendar.command("set")
@click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.argument("status", type=click.Choice(["workday", "off"]))
@click.option("--note", default="", help="Why, e.g. 2027 春节调休.")
@click.option(
    "--as",
    "username",
    help="The HR account making the change, for the audit log "
    "(default: the operator, recorded as system).",
)
def calendar_set(day: object, status: str, note: str, username: str | None) -> None:
    """Mark DAY as a working day or a day off."""
    setup_django()
    migrate()
    from django.core.exceptions import PermissionDenied

    from kaohe.data.actions import do_set_calendar_day

    when: date = day.date()  # type: ignore[attr-defined]
    actor = _actor(username) if username else None
    try:
        entry = do_set_calendar_day(actor, when, status == "workday", note)
    except PermissionDenied:
        raise CommandError(f"--as: '{username}' may not change the calendar") from None
    click.echo(
        f"{when}: {'working day' if entry.workday else 'day off'}{f' ({note})' if note else ''}"
    )


@calendar.command("list")
@click.argument("year", type=int)
def calendar_list(year: int) -> None:
    """The overrides for YEAR, and whether the statutory calendar covers it."""
    setup_django()
    migrate()
    from kaohe.data.models import CalendarDay
    from kaohe.data.services import calendar as business_calendar

    covered = business_calendar().statutory_covers(year)
    known = "known" if covered else "NOT known — add them with kaohe calendar set"
    click.echo(f"{year}: statutory holidays {known}")
    for entry in CalendarDay.objects.filter(day__year=year):
        click.echo(f"  {entry.day} {'workday' if entry.workday else 'off'} {entry.note}")


@click.command("demo-data")
@click.option("--period", default="2026-Q3", show_default=True)
@click.option("--scale", default=1.0, show_default=True, help="1 ≈ 40 calls per agent a day.")
@click.option("--as", "username", default="hr", show_default=True, help="The importing account.")
def demo_data(period: str, scale: float, username: str) -> None:
    """Generate and import a period of realistic records for the organisation's staff."""
    setup_django()
    migrate()
    from kaohe.data.demo_data import load_demo_data

    started = time.monotonic()
    click.echo(f"Generating and importing {period} at scale {scale:g}…")
    counts = load_demo_data(_actor(username), period, scale, say=click.echo)
    click.echo(f"Done in {time.monotonic() - started:.1f} s ({counts.calls:,} calls).")
