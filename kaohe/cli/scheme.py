"""``kaohe scheme list|show|lint``."""

from __future__ import annotations

import sys

import click

from kaohe.core import (
    Finding,
    Indicator,
    Lang,
    Scheme,
    Severity,
    Text,
    builtin_names,
    fmt,
    has_errors,
    lint,
    load_scheme,
)

from ._output import headings, lang_option, table


@click.group()
def scheme() -> None:
    """List, show and lint appraisal schemes."""


@scheme.command("list")
@lang_option
def list_schemes(lang: Lang) -> None:
    """List the built-in scheme templates."""
    rows = [headings(Text("名称|版本|方案|说明", "name|version|scheme|note"), lang)]
    for name in builtin_names():
        loaded = load_scheme(name)
        note = (
            Text("抽象基础方案，供继承", "abstract base, for extending")
            if loaded.abstract
            else None
        )
        rows.append([name, str(loaded.version), loaded.name(lang), note(lang) if note else ""])
    click.echo(table(rows))


@scheme.command("show")
@click.argument("name")
@lang_option
def show(name: str, lang: Lang) -> None:
    """Show a scheme: dimensions, indicators, rules and grades. NAME is a template or a file."""
    click.echo(describe_scheme(load_scheme(name), lang))


@scheme.command("lint")
@click.argument("name")
@lang_option
def lint_command(name: str, lang: Lang) -> None:
    """Check a scheme for errors and warnings; exit 1 when there are errors."""
    loaded = load_scheme(name)
    findings = lint(loaded)
    click.echo(lint_report(loaded, findings, lang))
    if has_errors(findings):
        sys.exit(1)


def lint_report(loaded: Scheme, findings: list[Finding], lang: Lang) -> str:
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    warnings = len(findings) - errors
    summary = Text(
        f"{loaded.source}：{errors} 个错误，{warnings} 个警告",
        f"{loaded.source}: {errors} error{'s' * (errors != 1)}, "
        f"{warnings} warning{'s' * (warnings != 1)}",
    )
    severity = {Severity.ERROR: Text("错误", "error"), Severity.WARNING: Text("警告", "warning")}
    rows = [[severity[f.severity](lang), f.where()(lang), f.message(lang)] for f in findings]
    return "\n".join(filter(None, [summary(lang), table(rows, indent="  ")]))


def describe_scheme(loaded: Scheme, lang: Lang) -> str:
    lines = [f"{loaded.name(lang)} · {loaded.id} v{loaded.version}"]
    if loaded.description:
        lines.append(loaded.description(lang))
    for dimension in loaded.dimensions:
        lines.append("")
        lines.append(
            Text(
                f"{dimension.name.zh}（{dimension.id}）  权重 {fmt(dimension.weight)}%  "
                f"满分 {fmt(dimension.max_points)} 分",
                f"{dimension.name.en} ({dimension.id})  weight {fmt(dimension.weight)} %  "
                f"{fmt(dimension.max_points)} points possible",
            )(lang)
        )
        for indicator in dimension.indicators:
            lines.extend(_describe_indicator(indicator, loaded, lang))
    lines.append("")
    lines.append(Text("等级", "Grades")(lang))
    rows = [
        [
            band.grade,
            f"≥ {fmt(band.minimum)}",
            band.label(lang),
            Text("系数", "coefficient")(lang) + f" {fmt(band.coefficient)}",
            band.actions(lang),
        ]
        for band in loaded.grades.bands
    ]
    lines.append(table(rows, indent="  "))
    if loaded.notes:
        lines.extend(["", Text("说明", "Notes")(lang), "  " + loaded.notes(lang)])
    return "\n".join(lines)


def _describe_indicator(indicator: Indicator, loaded: Scheme, lang: Lang) -> list[str]:
    missing = {
        "zero": Text("缺数据计 0 分", "missing counts as 0"),
        "exclude": Text("缺数据则不计入", "missing is excluded"),
        "block": Text("缺数据须补齐", "missing holds the result"),
    }[indicator.missing]
    head = Text(
        f"  · {indicator.name.zh}（{indicator.id}）  {fmt(indicator.max_points)} 分  {missing.zh}",
        f"  · {indicator.name.en} ({indicator.id})  {fmt(indicator.max_points)} points  "
        f"{missing.en}",
    )
    lines = [head(lang)]
    inputs = ", ".join(f"{name} ({loaded.inputs[name].label(lang)})" for name in indicator.inputs)
    lines.append("      " + Text("输入：", "reads: ")(lang) + inputs)
    lines.append(
        "      " + Text("规则：", "rule: ")(lang) + indicator.rule.describe(loaded.inputs)(lang)
    )
    smart = indicator.smart
    facts = [
        (Text("目标", "target"), smart.target),
        (Text("数据来源", "source"), smart.data_source),
        (Text("周期", "period"), smart.period),
    ]
    shown = [f"{label(lang)} {value(lang)}" for label, value in facts if value is not None]
    if shown:
        lines.append("      " + "；".join(shown) if lang == "zh" else "      " + "; ".join(shown))
    return lines
