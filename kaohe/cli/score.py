"""``kaohe score``: score one appraisal from a file of input values, with its trace."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
import yaml

from kaohe.core import (
    DimensionResult,
    Lang,
    Scheme,
    ScoreResult,
    Text,
    fmt,
    has_errors,
    lint,
    load_scheme,
    result_data,
    round_half_up,
)
from kaohe.core import score as score_appraisal

from ._output import CommandError, lang_option, pad, quoted, width


@click.command()
@click.option("--scheme", "scheme_name", required=True, help="A built-in template or a file.")
@click.option(
    "--values",
    "values_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML or JSON file mapping input names to values.",
)
@click.option("--employee", help="Fill metric-fed inputs from this person's stored metrics.")
@click.option("--period", help="The period of those metrics: 2026-09, 2026-Q3, 2026-H2, 2026.")
@click.option("--base-pay", help="Base performance pay Q; pay = Q × coefficient.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@lang_option
def score(
    scheme_name: str,
    values_file: Path | None,
    employee: str | None,
    period: str | None,
    base_pay: str | None,
    as_json: bool,
    lang: Lang,
) -> None:
    """Score one appraisal and explain every point.

    Values come from --values, from the stored metrics of --employee in --period, or both
    (the file's values win, e.g. for ratings).
    """
    loaded = _usable_scheme(scheme_name)
    if (employee is None) != (period is None):
        raise CommandError(
            Text("「--employee」与「--period」须一起给出", "--employee and --period go together")
        )
    if values_file is None and employee is None:
        raise CommandError(
            Text(
                "请给出「--values 文件」，或「--employee」与「--period」，或两者都给",
                "give --values FILE, or --employee and --period, or both",
            )
        )
    values: dict[str, Any] = {}
    if employee is not None and period is not None:
        values.update(_stored_values(loaded, employee, period))
    if values_file is not None:
        values.update(read_values(values_file))
    result = score_appraisal(loaded, values, _base_pay(base_pay))
    if not result.complete:
        raise CommandError(_why_incomplete(result))
    if as_json:
        click.echo(json.dumps(result_data(result, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(render_result(result, lang))


def _stored_values(loaded: Scheme, employee: str, period: str) -> dict[str, float]:
    from .django import migrate, setup_django

    setup_django()
    migrate()
    from kaohe.data.services import inputs_from_metrics
    from kaohe.metrics import MetricsError
    from kaohe.org.models import Employee

    if not Employee.objects.filter(number=employee).exists():
        raise CommandError(
            Text(
                f"「--employee」：没有工号为 {employee} 的人员",
                f"--employee: no one has the employee number {employee}",
            )
        )
    try:
        return inputs_from_metrics(loaded, employee, period)
    except MetricsError as error:
        raise CommandError(error.text) from None


def _usable_scheme(name: str) -> Scheme:
    loaded = load_scheme(name)
    if loaded.abstract:
        raise CommandError(
            Text(
                f"方案「{loaded.id}」是供其他方案继承的抽象基础方案，不能直接评分；"
                "请对继承它的方案评分（见 `kaohe scheme list`）",
                f"scheme '{loaded.id}' is an abstract base for other schemes; "
                "score a scheme that extends it (see `kaohe scheme list`)",
            )
        )
    findings = lint(loaded)
    if has_errors(findings):
        count = sum(1 for f in findings if f.severity == "error")
        raise CommandError(
            Text(
                f"方案「{loaded.id}」有 {count} 个错误；详见 `kaohe scheme lint {name}`",
                f"scheme '{loaded.id}' has {count} error{'s' * (count != 1)}; "
                f"see `kaohe scheme lint {name}`",
            )
        )
    return loaded


def _base_pay(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise CommandError(
            Text(
                f"「--base-pay」：应为金额，实际为 {text!r}",
                f"--base-pay: expected an amount, got {text!r}",
            )
        ) from None
    if not value.is_finite() or value < 0:
        raise CommandError(
            Text(
                f"「--base-pay」：应为不小于 0 的金额，实际为 {text!r}",
                f"--base-pay: expected an amount of 0 or more, got {text!r}",
            )
        )
    return value


def read_values(path: Path) -> dict[str, Any]:
    """A mapping of input name to value from a YAML or JSON file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise _values_error(path, None, Text("找不到该文件", "no such file")) from None
    except (OSError, UnicodeDecodeError) as error:
        raise _values_error(
            path, None, Text(f"无法读取（{error}）", f"cannot read it ({error})")
        ) from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except json.JSONDecodeError as error:
        malformed = Text("JSON 格式有误", "malformed JSON")
        raise _values_error(path, error.lineno, malformed) from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        malformed = Text("YAML 格式有误", f"malformed YAML ({error.problem})")
        raise _values_error(path, line, malformed) from None
    except yaml.YAMLError:
        raise _values_error(path, None, Text("YAML 格式有误", "malformed YAML")) from None
    if not isinstance(data, dict) or not all(isinstance(key, str) for key in data):
        raise _values_error(
            path,
            None,
            Text("应为输入名到取值的对照表", "expected a mapping of input names to values"),
        )
    return data


def _values_error(path: Path, line: int | None, problem: Text) -> CommandError:
    """``values file v.yaml, line 3: malformed JSON``, and in Chinese
    ``输入值文件「v.yaml」第 3 行：JSON 格式有误``."""
    zh, en = f"输入值文件「{path}」", f"values file {path}"
    if line is not None:
        zh, en = f"{zh}第 {line} 行", f"{en}, line {line}"
    return CommandError(Text(f"{zh}：{problem.zh}", f"{en}: {problem.en}"))


def _why_incomplete(result: ScoreResult) -> Text:
    if not result.blocked_by:
        return Text(
            "没有任何指标有取值，无从评分", "no indicator has a value, so there is nothing to score"
        )
    blocked = [result.indicator(i) for i in result.blocked_by]
    missing = list(
        dict.fromkeys(name for r in blocked for name, value in r.values.items() if value is None)
    )
    names = ", ".join(f"'{name}'" for name in missing)
    indicators = ", ".join(f"'{i}'" for i in result.blocked_by)
    plural = "s" if len(missing) > 1 else ""
    return Text(
        f"缺少输入{quoted(missing)}：指标{quoted(result.blocked_by)}没有取值就无法评分"
        "（缺数据策略：须补齐）",
        f"missing input{plural} {names}: indicator{'s' if len(blocked) > 1 else ''} "
        f"{indicators} cannot be scored without a value (missing-data policy: block)",
    )


# --- output ------------------------------------------------------------------------------


def render_result(result: ScoreResult, lang: Lang) -> str:
    """The scored appraisal as a readable report with the trace of every point."""
    assert result.total is not None and result.grade is not None
    scheme = result.scheme
    lines = [f"{scheme.name(lang)} · {scheme.id} v{scheme.version}", ""]
    by_dimension = {d.dimension.id: d for d in result.dimensions}
    name_width = max(width(i.indicator.name(lang)) for i in result.indicators)
    for dimension in scheme.dimensions:
        outcome = by_dimension[dimension.id]
        lines.append(_dimension_line(outcome.dimension.name, dimension.weight, outcome, lang))
        for item in result.indicators:
            if item.indicator in dimension.indicators:
                points = "—" if item.points is None else fmt(item.points)
                shown = f"{points} / {fmt(item.indicator.max_points)}"
                lines.append(
                    f"  {pad(item.indicator.name(lang), name_width)}  {pad(shown, 9)}"
                    f"{item.explanation()(lang)}"
                )
        lines.append("")
    grade = result.grade
    summary = [
        (Text("总分", "Total"), fmt(result.total)),
        (
            Text("等级", "Grade"),
            f"{grade.grade}（{grade.label.zh}）"
            if lang == "zh"
            else f"{grade.grade} ({grade.label.en})",
        ),
        (Text("绩效系数", "Coefficient"), _coefficient(grade.coefficient)),
    ]
    if result.pay is not None:
        summary.append((Text("绩效工资", "Pay"), _pay_text(result)))
    summary.append((Text("发展措施", "Development"), grade.actions(lang)))
    label_width = max(width(label(lang)) for label, _ in summary)
    lines.extend(f"{pad(label(lang), label_width)}  {value}" for label, value in summary)
    if result.rescaled:
        lines.append(
            Text(
                "注：有维度因缺数据整体不计入，其余维度按权重折算至 100 分。",
                "Note: a whole dimension had no data; the others were rescaled to 100.",
            )(lang)
        )
    return "\n".join(lines)


def _dimension_line(name: Text, weight: Decimal, outcome: DimensionResult, lang: Lang) -> str:
    if outcome.score is None:
        return Text(
            f"{name.zh}  权重 {fmt(weight)}%  无可计分指标，不计入",
            f"{name.en}  weight {fmt(weight)} %  nothing to score, left out",
        )(lang)
    formula = (
        f"{fmt(weight)} × {fmt(outcome.earned)} ÷ {fmt(outcome.possible)} = {fmt(outcome.score)}"
    )
    return Text(
        f"{name.zh}  权重 {fmt(weight)}%  {formula}",
        f"{name.en}  weight {fmt(weight)} %  {formula}",
    )(lang)


def _pay_text(result: ScoreResult) -> str:
    assert result.grade is not None and result.pay is not None and result.base_pay is not None
    return (
        f"{_money(result.pay)} = {_money(result.base_pay)} × "
        f"{_coefficient(result.grade.coefficient)}"
    )


def _money(amount: Decimal) -> str:
    return f"{round_half_up(amount):,.2f}"


def _coefficient(value: Decimal) -> str:
    """Coefficients as the seed writes them: 1.2, 1.0, 0.5."""
    shown = fmt(value)
    return shown if "." in shown else f"{shown}.0"
