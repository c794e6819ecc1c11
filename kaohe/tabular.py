"""Reading tables people export from other systems: CSV (UTF-8 or GBK) and XLSX; and
writing CSV files that are safe to open in a spreadsheet.

Pure Python, no Django: the organisation, base-pay and operational-data imports use it.
Rows keep the line number people see in their editor or spreadsheet.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kaohe.core import Text

SUFFIXES = (".csv", ".xlsx")


class TableError(Exception):
    """The file as a whole cannot be read as a table.

    ``text`` says why in both languages; ``reason`` is its English wording (``str()`` of the
    error adds the file name), for logs and for callers that show English only.
    """

    def __init__(self, file_name: str, text: Text) -> None:
        self.file_name = file_name
        self.text = text
        self.reason = text.en
        super().__init__(f"{file_name}: {text.en}")


def normal_header(text: str) -> str:
    """A header as compared with known column names: without spaces (full-width ones too)
    or underscores, in lower case, so that ``Agent ID``, ``agent_id`` and ``AgentId`` match."""
    return re.sub(r"[\s_]+", "", text).lower()


# A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and
# carriage return, may shift it into one): a cell from an imported file must never do that.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")


def safe_cell(value: object) -> object:
    """The value as a CSV cell that a spreadsheet shows as text and never evaluates: a text
    starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe.
    Numbers, and texts that are plain numbers (``-3``), are left as they are."""
    if not isinstance(value, str) or not value.startswith(_FORMULA_START):
        return value
    if _PLAIN_NUMBER.match(value):
        return value
    return "'" + value


class SafeWriter:
    """``csv.writer`` whose every cell goes through ``safe_cell``: use it for every CSV file
    kaohe writes from data people gave it (problem reports, quarantine files, exports)."""

    def __init__(self, handle: Any, **options: Any) -> None:
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


@dataclass(frozen=True)
class Row:
    line: int  # 1-based, as the spreadsheet or editor shows it
    cells: tuple[object, ...]

    def get(self, index: int) -> object:
        return self.cells[index] if index < len(self.cells) else None


@dataclass(frozen=True)
class Table:
    file_name: str
    headers: tuple[str, ...]
    header_line: int
    rows: tuple[Row, ...]


def read_table(path: Path, file_name: str | None = None) -> Table:
    """The whole table in memory; see ``stream_table`` for large files."""
    name, headers, header_line, rows = stream_table(path, file_name)
    return Table(name, headers, header_line, tuple(rows))


def stream_table(
    path: Path, file_name: str | None = None
) -> tuple[str, tuple[str, ...], int, Iterator[Row]]:
    """(file name, headers, header line, rows) with rows read lazily: a file larger than
    memory can be read. Blank rows are skipped; the header is the first non-blank row."""
    name = file_name or path.name
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path, name)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path, name)
    else:
        shown = suffix or name
        raise TableError(
            name,
            Text(
                f"不支持的文件类型 '{shown}'，请使用 .csv 或 .xlsx 文件",
                f"unsupported file type '{shown}'; use .csv or .xlsx",
            ),
        )
    non_blank = (row for row in rows if any(_present(cell) for cell in row.cells))
    header = next(non_blank, None)
    if header is None:
        raise TableError(name, Text("文件是空的", "the file is empty"))
    headers = tuple("" if cell is None else str(cell).strip() for cell in header.cells)
    return name, headers, header.line, non_blank


def _present(cell: object) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def csv_format(path: Path, name: str) -> tuple[str, str]:
    """(encoding, delimiter) of a CSV file: UTF-8 or GBK, commas or tabs."""
    encoding = _encoding(path, name)
    with path.open(encoding=encoding, newline="", errors="replace") as handle:
        first_line = handle.readline()
    return encoding, "\t" if first_line.count("\t") > first_line.count(",") else ","


def _encoding(path: Path, name: str) -> str:
    """UTF-8 (often with a BOM) or GBK, as Excel on Chinese Windows saves CSV."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    # A multi-byte character may straddle the end of the sample: ignore a short tail.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start >= len(head) - 4:
                return encoding
            continue
        return encoding
    raise TableError(
        name,
        Text("文件既不是 UTF-8 也不是 GBK 编码的文本", "the file is neither UTF-8 nor GBK text"),
    )


def _csv_rows(path: Path, name: str) -> Iterator[Row]:
    encoding, delimiter = csv_format(path, name)
    with path.open(encoding=encoding, newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        start = 1
        try:
            for cells in reader:
                yield Row(start, tuple(cells))
                start = reader.line_num + 1
        except csv.Error as error:
            line = reader.line_num
            raise TableError(
                name,
                Text(
                    f"第 {line} 行：CSV 格式有误（{error}）",
                    f"line {line}: malformed CSV ({error})",
                ),
            ) from None
        except UnicodeDecodeError:
            line, shown = reader.line_num + 1, encoding.upper()
            raise TableError(
                name,
                Text(f"第 {line} 行：不是 {shown} 编码的文本", f"line {line}: not {shown} text"),
            ) from None


def _xlsx_rows(path: Path, name: str) -> Iterator[Row]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        kind = type(error).__name__
        raise TableError(
            name,
            Text(
                f"无法读取这个 .xlsx 工作簿（{kind}）",
                f"not a readable .xlsx workbook ({kind})",
            ),
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield Row(number, tuple(cells))
    finally:
        workbook.close()
