"""The pay list as files payroll can take: XLSX (考核结果及绩效工资表, with a header block,
number formats, a total row of live formulas and a frozen header) and CSV (UTF-8 with a
byte-order mark, so that Excel reads the Chinese), in Chinese or English."""

from __future__ import annotations

import csv
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

from .paylist import PayList, PayRow

TITLE = Text("考核结果及绩效工资表", "Appraisal results and performance pay")


@dataclass(frozen=True)
class Column:
    heading: Text
    value: Callable[[PayRow], Any]
    number_format: str = "General"
    width: int = 12
    pay: bool = False  # left out of a list without pay
    summed: bool = False


COLUMNS = (
    Column(Text("工号", "Employee no."), lambda r: r.number, width=12),
    Column(Text("姓名", "Name"), lambda r: r.name, width=12),
    Column(Text("部门", "Department"), lambda r: r.department, width=14),
    Column(Text("岗位", "Position"), lambda r: r.position, width=14),
    Column(Text("考核方案版本", "Scheme version"), lambda r: r.scheme, width=18),
    Column(Text("最终得分", "Final total"), lambda r: r.total, "0.00", 10),
    Column(Text("等级", "Grade"), lambda r: r.grade, width=7),
    Column(Text("绩效系数", "Coefficient"), lambda r: r.coefficient, "0.0##", 10),
    Column(Text("绩效基数(元)", "Base pay Q (CNY)"), lambda r: r.base_pay, "#,##0.00", 14,
           pay=True, summed=True),
    Column(Text("绩效工资(元)", "Performance pay (CNY)"), lambda r: r.pay, "#,##0.00", 16,
           pay=True, summed=True),
    Column(Text("结果版本", "Result version"), lambda r: r.version, "0", 9),
    Column(Text("调整原因", "Reason for adjustment"), lambda r: r.reason, width=30),
)  # fmt: skip


@dataclass(frozen=True)
class Heading:
    """The header block: what the list is, when and by whom it was made."""

    cycle: str
    period: str
    exported_at: datetime
    exported_by: str
    export_id: int


def columns_for(paylist: PayList) -> list[Column]:
    return [c for c in COLUMNS if paylist.with_pay or not c.pay]


def xlsx(paylist: PayList, heading: Heading, lang: Lang) -> bytes:
    """The list as a workbook, written row by row (20,000 rows in a few seconds)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(TITLE(lang)[:31])
    columns = columns_for(paylist)
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header_row = 6
    sheet.freeze_panes = f"A{header_row + 1}"
    bold = Font(bold=True)
    for line in _header_block(heading, lang):
        sheet.append([_cell(sheet, line[0], font=bold), *line[1:]] if line else [])
    fill = PatternFill("solid", fgColor="DDE7F3")
    sheet.append([_cell(sheet, c.heading(lang), font=bold, fill=fill, wrap=True) for c in columns])
    first = header_row + 1
    formatted = [c.number_format != "General" for c in columns]
    for row in paylist.rows:
        # Styled cells only where a number needs its format: plain values write far faster.
        sheet.append(
            [
                _cell(sheet, c.value(row), c.number_format) if styled else c.value(row)
                for c, styled in zip(columns, formatted, strict=True)
            ]
        )
    last = first + len(paylist.rows) - 1
    sheet.append(_total_row(sheet, columns, first, last, lang))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _header_block(heading: Heading, lang: Lang) -> list[list[Any]]:
    """Rows 1–5: title, cycle, when and by whom, the export's number, a blank line."""
    stamp = heading.exported_at.strftime("%Y-%m-%d %H:%M")
    return [
        [TITLE(lang)],
        [Text("考核周期", "Cycle")(lang), f"{heading.cycle} ({heading.period})"],
        [Text("导出时间", "Exported at")(lang), stamp,
         Text("导出人", "Exported by")(lang), heading.exported_by],
        [Text("导出编号", "Export no.")(lang), heading.export_id,
         Text("申诉调整后的结果会使本表失效，请以 kaohe 中的最新名单为准。",
              "A result adjusted after an appeal supersedes this list: kaohe shows the "
              "current one.")(lang)],
        [],
    ]  # fmt: skip


def _total_row(sheet: Any, columns: list[Column], first: int, last: int, lang: Lang) -> list[Any]:
    """Live formulas, so that the office suite adds up what the file holds."""
    bold = Font(bold=True)
    cells: list[Any] = []
    for index, column in enumerate(columns, 1):
        letter = get_column_letter(index)
        if index == 1:
            cells.append(_cell(sheet, Text("合计", "Total")(lang), font=bold))
        elif index == 2:
            cells.append(_cell(sheet, f"=COUNTA(A{first}:A{last})" if last >= first else 0, "0"))
        elif column.summed:
            formula = f"=SUM({letter}{first}:{letter}{last})" if last >= first else 0
            cells.append(_cell(sheet, formula, column.number_format, font=bold))
        else:
            cells.append(None)
    return cells


def _cell(
    sheet: Any,
    value: Any,
    number_format: str = "General",
    *,
    font: Font | None = None,
    fill: PatternFill | None = None,
    wrap: bool = False,
) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = number_format
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    return cell


def csv_bytes(paylist: PayList, lang: Lang) -> bytes:
    """One header line and one line per person, no total (payroll imports the rows);
    numbers as plain decimals, UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = columns_for(paylist)
    writer.writerow([c.heading(lang) for c in columns])
    for row in paylist.rows:
        writer.writerow(["" if (v := c.value(row)) is None else str(v) for c in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
