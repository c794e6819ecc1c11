"""Importing each person's base pay Q for a cycle from CSV or XLSX, before launch.

Two columns: the employee number and the amount, with Chinese or English headers. Any bad
row refuses the whole file with every problem listed; a good file replaces the amounts of
the people it names, so importing it again changes nothing (the cycle actions write it).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from kaohe.i18n import current_lang
from kaohe.tabular import TableError, normal_header, read_table

from .launch import people_in_scope
from .models import Cycle

NUMBER_HEADERS = {"employee_number", "number", "employee", "工号", "员工编号", "员工工号"}
AMOUNT_HEADERS = {"base_pay", "amount", "绩效基数", "绩效工资基数", "基数"}


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    reason: str


def _column(headers: tuple[str, ...], names: set[str]) -> int | None:
    wanted = {normal_header(name) for name in names}
    for index, header in enumerate(headers):
        if normal_header(header) in wanted:
            return index
    return None


def read_base_pay(
    cycle: Cycle, path: Path, file_name: str
) -> tuple[dict[int, Decimal], list[Problem]]:
    """(employee id → amount, problems) from the file; writes nothing."""
    try:
        table = read_table(path, file_name)
    except TableError as error:
        return {}, [Problem(None, "", error.text(current_lang()))]
    number_at = _column(table.headers, NUMBER_HEADERS)
    amount_at = _column(table.headers, AMOUNT_HEADERS)
    problems = []
    if number_at is None:
        problems.append(Problem(table.header_line, "employee_number",
                                _("required column missing (employee_number / 工号)")))  # fmt: skip
    if amount_at is None:
        problems.append(Problem(table.header_line, "base_pay",
                                _("required column missing (base_pay / 绩效基数)")))  # fmt: skip
    if problems:
        return {}, problems
    assert number_at is not None and amount_at is not None
    in_scope = dict(
        people_in_scope(cycle.departments.all()).values_list("number", "pk")
    )  # number → id
    amounts: dict[int, Decimal] = {}
    first_line: dict[str, int] = {}
    for row in table.rows:
        number = str(row.get(number_at) or "").strip()
        if number.endswith(".0"):
            number = number[:-2]  # a number typed into Excel
        raw = str(row.get(amount_at) or "").strip().replace(",", "")
        if not number:
            problems.append(Problem(row.line, "employee_number", _("required, but empty")))
            continue
        if number in first_line:
            problems.append(Problem(row.line, "employee_number",
                                    _("%(number)s also appears on line %(line)d")
                                    % {"number": number, "line": first_line[number]}))  # fmt: skip
            continue
        first_line[number] = row.line
        if number not in in_scope:
            problems.append(Problem(row.line, "employee_number",
                                    _("%(number)s is not an active person in this cycle's scope")
                                    % {"number": number}))  # fmt: skip
            continue
        try:
            amount = Decimal(raw)
        except InvalidOperation:
            problems.append(
                Problem(row.line, "base_pay", _("not a number: %(value)s") % {"value": raw or "—"})
            )
            continue
        if not amount.is_finite() or amount < 0:
            problems.append(Problem(row.line, "base_pay", _("must be zero or more")))
            continue
        amounts[in_scope[number]] = amount.quantize(Decimal("0.01"))
    return ({}, problems) if problems else (amounts, [])
