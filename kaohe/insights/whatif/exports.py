"""A saved run as files: XLSX (a header block saying what was simulated, a sheet of people
with number formats and a frozen header, a sheet of the summary figures) and CSV (the
people, UTF-8 with a byte-order mark so that Excel reads the Chinese), with Chinese or
English headings. Every cell that came from people's data is written so that a spreadsheet
never runs it as a formula."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kaohe.core import Lang, Text
from kaohe.tabular import SafeWriter, safe_cell

from .run import Row, Run
from .summary import Summary

TITLE = Text("考核方案假设分析", "What-if of a scheme change")
SUMMARY = Text("汇总", "Summary")
BOLD = Font(bold=True)
FILL = PatternFill("solid", fgColor="DDE7F3")


@dataclass(frozen=True)
class Column:
    heading: Text
    value: Callable[[Row, Lang], Any]
    number_format: str = "General"
    width: int = 12


def _yes(value: bool, lang: Lang) -> str:
    return Text("是", "yes")(lang) if value else Text("否", "no")(lang)


def _note(row: Row, lang: Lang) -> str:
    if row.problem is not None:
        return row.problem(lang)
    if not row.changed:
        return Text("其他方案，保持不变", "another scheme: kept")(lang)
    return ""


COLUMNS = (
    Column(Text("工号", "Employee no."), lambda r, _l: r.number),
    Column(Text("姓名", "Name"), lambda r, _l: r.name),
    Column(Text("部门", "Department"), lambda r, _l: r.department, width=14),
    Column(Text("考核方案版本", "Scheme version"), lambda r, _l: r.scheme, width=16),
    Column(Text("按调整后方案重算", "Under the changed scheme"),
           lambda r, lang: _yes(r.changed, lang), width=10),
    Column(Text("原结果已锁定", "Old result locked"), lambda r, lang: _yes(r.locked, lang),
           width=10),
    Column(Text("原得分", "Old total"), lambda r, _l: r.old.total, "0.00", 10),
    Column(Text("原等级", "Old grade"), lambda r, _l: r.old.grade, width=8),
    Column(Text("原绩效工资(元)", "Old pay (CNY)"), lambda r, _l: r.old.pay, "#,##0.00", 14),
    Column(Text("新得分", "New total"), lambda r, _l: r.new.total, "0.00", 10),
    Column(Text("新等级", "New grade"), lambda r, _l: r.new.grade, width=8),
    Column(Text("新绩效工资(元)", "New pay (CNY)"), lambda r, _l: r.new.pay, "#,##0.00", 14),
    Column(Text("等级变动", "Grades moved"), lambda r, _l: r.steps, "+0;-0;0", 9),
    Column(Text("得分变动", "Total change"), lambda r, _l: r.total_change, "+0.00;-0.00;0.00", 10),
    Column(Text("工资变动(元)", "Pay change (CNY)"), lambda r, _l: r.pay_change,
           "+#,##0.00;-#,##0.00;0.00", 14),
    Column(Text("说明", "Note"), _note, width=30),
)  # fmt: skip


@dataclass(frozen=True)
class Heading:
    name: str
    cycle: str
    period: str
    scheme: str
    saved_by: str
    saved_at: datetime
    exported_by: str
    exported_at: datetime


def xlsx(run: Run, summary: Summary, heading: Heading, lang: Lang) -> bytes:
    """The workbook, written row by row."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TITLE(lang)[:31])
    for index, column in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    block = _header_block(heading, lang)
    sheet.freeze_panes = f"A{len(block) + 2}"
    for line in block:
        sheet.append([_cell(sheet, line[0], font=BOLD), *map(safe_cell, line[1:])] if line else [])
    sheet.append([_cell(sheet, c.heading(lang), font=BOLD, fill=FILL, wrap=True) for c in COLUMNS])
    for row in run.rows:
        sheet.append([_value(sheet, c, row, lang) for c in COLUMNS])
    _summary_sheet(book.create_sheet(SUMMARY(lang)), summary, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _value(sheet: Any, column: Column, row: Row, lang: Lang) -> Any:
    value = column.value(row, lang)
    if column.number_format == "General" or value is None:
        return safe_cell(value)  # plain cells write far faster
    return _cell(sheet, value, column.number_format)


def _header_block(heading: Heading, lang: Lang) -> list[list[Any]]:
    stamp = "%Y-%m-%d %H:%M"
    return [
        [TITLE(lang), heading.name],
        [Text("考核周期", "Cycle")(lang), f"{heading.cycle} ({heading.period})"],
        [Text("调整的方案", "Scheme changed")(lang), heading.scheme],
        [Text("保存人", "Saved by")(lang), heading.saved_by,
         Text("保存时间", "Saved at")(lang), heading.saved_at.strftime(stamp)],
        [Text("导出人", "Exported by")(lang), heading.exported_by,
         Text("导出时间", "Exported at")(lang), heading.exported_at.strftime(stamp)],
        [Text("说明", "Note")(lang),
         Text("模拟结果：未写入任何考核、结果或方案。原结果为已锁定的最新结果，否则为当前的临时得分（含校准）。",
              "A simulation: nothing was written to any appraisal, result or scheme. Old is "
              "the latest locked result, else the provisional score (calibration applied)."
              )(lang)],
        [],
    ]  # fmt: skip


def _summary_sheet(sheet: Any, summary: Summary, lang: Lang) -> None:
    sheet.column_dimensions["A"].width = 24
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 14
    moves = [
        (Text("按调整后方案重算的人数", "People under the changed scheme"), summary.changed),
        (Text("等级上升", "Up a grade or more"), summary.up),
        (Text("等级下降", "Down a grade or more"), summary.down),
        (Text("等级不变", "Same grade"), summary.same),
        (Text("无法比较（前后缺少等级）", "No grade before or after"), summary.unscored),
    ]
    for label, number in moves:
        sheet.append([_cell(sheet, label(lang), font=BOLD), number])
    sheet.append([])
    sheet.append([_cell(sheet, h(lang), font=BOLD, fill=FILL) for h in (
        Text("等级", "Grade"), Text("原人数", "Old people"), Text("新人数", "New people"),
        Text("指导比例允许", "Guideline allows"))])  # fmt: skip
    for grade in summary.grades:
        allowed = "" if grade.maximum is None else f"{grade.minimum}–{grade.maximum}"
        sheet.append([grade.grade, grade.old, grade.new, allowed])
    sheet.append([])
    sheet.append([_cell(sheet, h(lang), font=BOLD, fill=FILL) for h in (
        Text("部门", "Department"), Text("人数(有基数)", "People with base pay"),
        Text("原绩效工资(元)", "Old pay (CNY)"), Text("新绩效工资(元)", "New pay (CNY)"),
        Text("变动(元)", "Change (CNY)"), Text("预算(元)", "Budget (CNY)"))])  # fmt: skip
    for cost in [*summary.departments, summary.total]:
        name = cost.department or Text("合计", "Total")(lang)
        sheet.append([
            safe_cell(name), cost.people, _cell(sheet, cost.old, "#,##0.00"),
            _cell(sheet, cost.new, "#,##0.00"), _cell(sheet, cost.change, "+#,##0.00;-#,##0.00"),
            _cell(sheet, cost.budget, "#,##0.00") if cost.budget is not None else None,
        ])  # fmt: skip


def _cell(
    sheet: Any,
    value: Any,
    number_format: str = "General",
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    wrap: bool = False,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def csv_bytes(run: Run, lang: Lang) -> bytes:
    """A heading line and a line per person; numbers as plain decimals (totals and pay to
    two places, as the core rounds them)."""
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow([c.heading(lang) for c in COLUMNS])
    for row in run.rows:
        writer.writerow(["" if (v := c.value(row, lang)) is None else str(v) for c in COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
