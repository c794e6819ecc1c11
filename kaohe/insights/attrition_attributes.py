"""Reading the protected attributes HR imports for the fairness and proxy checks: one row
per person, the employee number and any of the attributes as columns, headers in Chinese
or English. Ages are kept as bands only (an exact age or birth year is turned into its
band and not stored), and a file with any bad row imports nothing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from kaohe.i18n import current_lang
from kaohe.ml.attrition import PROTECTED
from kaohe.tabular import TableError, normal_header, read_table

HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("工号", "员工编号", "employee_number", "number"),
    "sex": ("性别", "sex", "gender"),
    "age": ("年龄", "年龄段", "出生年份", "age", "age_band", "birth_year"),
    "marital_status": ("婚姻状况", "婚姻", "marital_status"),
    "childbirth": ("生育状况", "生育", "childbirth"),
    "ethnicity": ("民族", "ethnicity"),
    "religion": ("宗教信仰", "宗教", "religion"),
    "health": ("健康状况", "健康", "health"),
    "hukou": ("户籍", "户口", "户籍类型", "hukou"),
}
_LOOKUP = {normal_header(alias): name for name, aliases in HEADERS.items() for alias in aliases}
MAX_VALUE = 32
AGE_BANDS = ((30, "<30"), (40, "30–39"), (50, "40–49"))
_WHOLE = re.compile(r"^\d+(\.0)?$")


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str
    reason: str


@dataclass
class AttributeFile:
    """What the file holds: per attribute, employee number → group."""

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def people(self) -> int:
        return len({number for groups in self.values.values() for number in groups})


def age_band(value: str, today: date) -> str:
    """An age, or a birth year, as its band; any other text (a band already) as it is."""
    if not _WHOLE.match(value):
        return value
    number = int(float(value))
    age = today.year - number if number > 1900 else number
    return next((band for limit, band in AGE_BANDS if age < limit), "50+")


def read_attributes(path: Path, file_name: str, known: set[str], today: date) -> AttributeFile:
    found = AttributeFile()
    try:
        table = read_table(path, file_name)
    except TableError as error:
        found.problems.append(Problem(None, "", error.text(current_lang())))
        return found
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = _LOOKUP.get(normal_header(header))
        if name is None:
            found.ignored_columns.append(header)
        elif name in columns:
            found.problems.append(
                Problem(table.header_line, header, _("this column appears twice"))
            )
        else:
            columns[name] = index
    if "number" not in columns:
        found.problems.append(
            Problem(table.header_line, "number", _("required column missing (工号)"))
        )
    if not set(columns) & set(PROTECTED):
        found.problems.append(
            Problem(table.header_line, "", _("no protected attribute column (性别, 年龄, 民族, …)"))
        )
    if found.problems:
        return found
    seen: dict[str, int] = {}
    for row in table.rows:
        number = _cell(row.get(columns["number"]))
        if not number:
            found.problems.append(Problem(row.line, "number", _("required, but empty")))
            continue
        if number not in known:
            found.problems.append(
                Problem(row.line, "number", _("no employee has the number %s") % number)
            )
            continue
        if number in seen:
            found.problems.append(Problem(row.line, "number",
                _("employee number %(number)s also appears on line %(line)d")
                % {"number": number, "line": seen[number]}))  # fmt: skip
            continue
        seen[number] = row.line
        for attribute in PROTECTED:
            if attribute not in columns:
                continue
            value = _cell(row.get(columns[attribute]))
            if attribute == "age" and value:
                value = age_band(value, today)
            if len(value) > MAX_VALUE:
                found.problems.append(Problem(row.line, attribute, _("longer than 32 characters")))
            elif value:
                found.values.setdefault(attribute, {})[number] = value
    return found


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()
