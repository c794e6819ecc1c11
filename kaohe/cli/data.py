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

from ._output import (
    CommandError,
    headings,
    lang_option,
    no_such_file,
    problem_line,
    quoted,
    table,
)
from .django import active_account, migrate, setup_django


def _may_not(username: str | None, what: Text) -> CommandError:
    return CommandError(
        Text(f"「--as」：'{username}' 无权{what.zh}", f"--as: '{username}' may not {what.en}")
    )


@click.group()
def data() -> None:
    """Import call-centre, ticket, survey, visit and QA records into the data lake."""


@data.command("check")
@lang_option
def check(lang: Lang) -> None:
    """Check the lake against the database: finish or remove interrupted imports, and
    report what needs a person (exit 1)."""
    setup_django()
    migrate()
    from kaohe.data.services import check_lake

    findings = check_lake()
    for finding in findings:
        click.echo(f"{finding.source}: {finding.text(lang)}")
    if not findings:
        click.echo(Text("数据湖与数据库一致。", "The lake and the database agree.")(lang))
    if any(finding.needs_person for finding in findings):
        needs_person = Text(
            "有需要人工处理的问题（见上）。", "Something above needs a person to look at it."
        )
        click.echo(needs_person(lang), err=True)
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
    lang: Lang,
) -> None:
    """Import FILE (CSV or XLSX) of SOURCE records."""
    setup_django()
    migrate()
    from kaohe.data.actions import do_import_data
    from kaohe.metrics import ImportRefused, MetricsError

    if not file.is_file():
        raise no_such_file(file)
    header_map = _header_map(header_map_file, source) if header_map_file else None
    actor = active_account(username)
    started = time.monotonic()
    show = sys.stderr.isatty()

    def progress(rows: int, share: float | None) -> None:
        if show:
            rate = rows / max(time.monotonic() - started, 1e-6)
            line = _progress_line(file.name, rows, share, rate, lang)
            click.echo(f"\r{line}", err=True, nl=False)

    from django.core.exceptions import PermissionDenied

    try:
        result = do_import_data(
            actor, source, file, file.name, quarantine=quarantine, progress=progress,
            header_map=header_map, lang=lang,
        )  # fmt: skip
    except PermissionDenied:
        raise _may_not(username, Text("导入数据", "import data")) from None
    except ImportRefused as refused:
        if show:
            click.echo("", err=True)
        _print_refusal(refused, file.name, lang)
        sys.exit(1)
    except MetricsError as error:
        raise CommandError(error.text) from None
    if show:
        click.echo("", err=True)
    _print_batch(result, file.name, time.monotonic() - started, lang)
    _print_sentiment(source, result, lang)


def _print_refusal(refused: Any, file_name: str, lang: Lang) -> None:
    """Each problem on a line — file, line, field: reason — then the count."""
    for problem in refused.problems:
        line = problem_line(file_name, problem.where(), problem.field, problem.reason(lang), lang)
        click.echo(line, err=True)
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


def _progress_line(name: str, rows: int, share: float | None, rate: float, lang: Lang) -> str:
    """``calls.csv [########------------]  40%  4,000,000 rows (310,000/s)``; without
    the share of the file read (XLSX) only the rows."""
    counted = Text(f"{rows:,} 行（每秒 {rate:,.0f} 行）", f"{rows:,} rows ({rate:,.0f}/s)")(lang)
    if share is None:
        return Text(f"{name}：已读取 {counted}", f"{name}: {counted} read")(lang)
    filled = round(share * 20)
    return f"{name} [{'#' * filled}{'-' * (20 - filled)}] {share:4.0%}  {counted}"


def _header_map(path: Path, source: str) -> dict[str, str]:
    """A site's own column names → kaohe's, checked against the source's columns."""
    import yaml

    try:
        mapping = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        kind = type(error).__name__
        raise CommandError(
            Text(f"「--map」{path}：无法读取（{kind}）", f"--map {path}: cannot read it ({kind})")
        ) from None
    if not isinstance(mapping, dict):
        raise CommandError(
            Text(
                f"「--map」{path}：应为列名的对照表（原列名: kaohe 列名）",
                f"--map {path}: expected a mapping of column names",
            )
        )
    known = sorted(column.name for column in SOURCES[source].columns)
    for theirs, ours in mapping.items():
        if ours not in known:
            raise CommandError(
                Text(
                    f"「--map」{path}：'{theirs}' 对应到 '{ours}'，但 {source} 没有这一列"
                    f"（可用的列：{quoted(known)}）",
                    f"--map {path}: '{theirs}' maps to '{ours}', which is not a {source} column "
                    f"({', '.join(known)})",
                )
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


def _print_sentiment(source: str, result: Any, lang: Lang) -> None:
    """Which model scored the texts of a source that holds any; without it, why and how to
    build it."""
    from django.utils import translation

    from kaohe.insights.sentiment import model_problem

    if SOURCES[source].scored is None or not (result.accepted or result.replaced):
        return
    if result.sentiment_model:
        model = result.sentiment_model
        click.echo(Text(f"  情绪评分模型：{model}", f"  sentiment scored by {model}")(lang))
        return
    problem = model_problem()
    if problem is not None:
        with translation.override("zh-hans" if lang == "zh" else "en"):
            click.echo(f"  {problem.text()}", err=True)


@data.command("batches")
@click.argument("source", required=False)
@lang_option
def batches(source: str | None, lang: Lang) -> None:
    """The import batches, newest first."""
    setup_django()
    migrate()
    from django.utils import timezone

    from kaohe.data.models import DataBatch

    found = DataBatch.objects.all()
    if source:
        found = found.filter(source=source)
    rows = [
        headings(
            Text(
                "数据源|批次|文件|新增|替换|未变|拒收|导入人|导入时间",
                "source|batch|file|new|replaced|unchanged|rejected|by|when",
            ),
            lang,
        )
    ]
    for batch in found[:200]:
        by = batch.imported_by.get_username() if batch.imported_by else ""
        rows.append([
            batch.source, str(batch.seq), batch.file_name, str(batch.accepted), str(batch.replaced),
            str(batch.unchanged), str(batch.rejected), by,
            f"{timezone.localtime(batch.imported_at):%Y-%m-%d %H:%M}",
        ])  # fmt: skip
    if len(rows) == 1:
        click.echo(Text("尚未导入任何数据。", "Nothing imported yet.")(lang))
        return
    click.echo(table(rows))


@click.command()
@click.option("--period", required=True, help="2026-09, 2026-Q3, 2026-H2 or 2026.")
@click.option("--subject", help="An employee number, a queue, or org.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
@lang_option
def metrics(period: str, subject: str | None, as_json: bool, lang: Lang) -> None:
    """Compute every KPI for a period from the data lake, and keep the values for scoring."""
    setup_django()
    migrate()
    from kaohe.data.services import store_metrics
    from kaohe.metrics import MetricsError

    try:
        run = store_metrics(period)
    except MetricsError as error:
        raise CommandError(error.text) from None
    values = list(run.records.order_by("subject_type", "subject", "metric"))
    if subject is not None:
        values = [v for v in values if v.subject == subject]
    if as_json:
        fields = ("subject_type", "subject", "metric", "value", "numerator", "denominator")
        listed = [{name: getattr(v, name) for name in fields} for v in values]
        click.echo(json.dumps(listed, ensure_ascii=False, indent=1))
        return
    if not values:
        click.echo(Text("该考核期没有数据。", "No data for this period.")(lang))
        return
    header = Text("对象|指标|值|分子|分母", "subject|metric|value|numerator|denominator")
    rows = [headings(header, lang)]
    for v in values:
        rows.append([
            f"{v.subject_type}:{v.subject}", v.metric,
            _shown(v.value),
            "" if v.numerator is None else _shown(v.numerator),
            "" if v.denominator is None else _shown(v.denominator),
        ])  # fmt: skip
    click.echo(table(rows))


def _shown(value: float | None) -> str:
    if value is None:
        return "—"  # an empty base
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


@click.group()
def calendar() -> None:
    """Working days beyond the statutory calendar: years not yet published, company days."""


WORKDAY = {True: Text("工作日", "working day"), False: Text("休息日", "day off")}


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
@lang_option
def calendar_set(day: object, status: str, note: str, username: str | None, lang: Lang) -> None:
    """Mark DAY as a working day or a day off."""
    setup_django()
    migrate()
    from django.core.exceptions import PermissionDenied

    from kaohe.data.actions import do_set_calendar_day

    when: date = day.date()  # type: ignore[attr-defined]
    actor = active_account(username) if username else None
    try:
        entry = do_set_calendar_day(actor, when, status == "workday", note)
    except PermissionDenied:
        raise _may_not(username, Text("修改工作日历", "change the calendar")) from None
    why = Text(f"（{note}）", f" ({note})")(lang) if note else ""
    click.echo(Text(f"{when}：", f"{when}: ")(lang) + WORKDAY[entry.workday](lang) + why)


@calendar.command("list")
@click.argument("year", type=int)
@lang_option
def calendar_list(year: int, lang: Lang) -> None:
    """The overrides for YEAR, and whether the statutory calendar covers it."""
    setup_django()
    migrate()
    from kaohe.data.models import CalendarDay
    from kaohe.data.services import calendar as business_calendar

    if business_calendar().statutory_covers(year):
        known = Text(f"{year} 年：法定节假日已知", f"{year}: statutory holidays known")
    else:
        known = Text(
            f"{year} 年：法定节假日尚不知道 —— 请用 kaohe calendar set 补上",
            f"{year}: statutory holidays NOT known — add them with kaohe calendar set",
        )
    click.echo(known(lang))
    for entry in CalendarDay.objects.filter(day__year=year):
        click.echo(f"  {entry.day} {WORKDAY[entry.workday](lang)} {entry.note}".rstrip())


@click.command("demo-data")
@click.option("--period", default="2026-Q3", show_default=True)
@click.option("--scale", default=1.0, show_default=True, help="1 ≈ 40 calls per agent a day.")
@click.option("--as", "username", default="hr", show_default=True, help="The importing account.")
@lang_option
def demo_data(period: str, scale: float, username: str, lang: Lang) -> None:
    """Generate and import a period of realistic records for the organisation's staff."""
    setup_django()
    migrate()
    from kaohe.data.demo_data import load_demo_data

    actor = active_account(username)
    started = time.monotonic()
    click.echo(
        Text(
            f"正在生成并导入 {period} 的数据，规模 {scale:g}……",
            f"Generating and importing {period} at scale {scale:g}…",
        )(lang)
    )
    counts = load_demo_data(actor, period, scale, say=click.echo)
    seconds, calls = time.monotonic() - started, counts.calls
    click.echo(
        Text(
            f"完成，用时 {seconds:.1f} 秒（通话 {calls:,} 条）。",
            f"Done in {seconds:.1f} s ({calls:,} calls).",
        )(lang)
    )
