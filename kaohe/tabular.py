"""Reading tables people export from other systems: CSV (UTF-8 or GBK) and XLSX.

Pure Python, no Django: organisation imports use it now, operational-data imports later.
Rows keep the line number people see in their editor or spreadsheet.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = (".csv", ".xlsx")


class TableError(Exception):
    """The file as a whole cannot be read as a table."""

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = reason
        super().__init__(f"{file_name}: {reason}")


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
    """The whole table; blank rows are skipped, the header is the first non-blank row."""
    name = file_name or path.name
    suffix = Path(name).suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path, name)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path, name)
    else:
        raise TableError(name, f"unsupported file type '{suffix or name}'; use .csv or .xlsx")
    non_blank = (row for row in rows if any(_present(cell) for cell in row.cells))
    header = next(non_blank, None)
    if header is None:
        raise TableError(name, "the file is empty")
    headers = tuple("" if cell is None else str(cell).strip() for cell in header.cells)
    return Table(name, headers, header.line, tuple(non_blank))


def _present(cell: object) -> bool:
    return cell is not None and (not isinstance(cell, str) or cell.strip() != "")


def _decode(data: bytes, name: str) -> str:
    # Excel on Chinese Windows saves CSV as GBK; everything else is UTF-8 (often with a BOM).
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise TableError(name, "the file is neither UTF-8 nor GBK text")


def _csv_rows(path: Path, name: str) -> Iterator[Row]:
    text = _decode(path.read_bytes(), name)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            yield Row(start, tuple(cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise TableError(name, f"line {reader.line_num}: malformed CSV ({error})") from None


def _xlsx_rows(path: Path, name: str) -> Iterator[Row]:
    from openpyxl import load_workbook  # imported here: only XLSX imports pay for it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise TableError(name, f"not a readable .xlsx workbook ({type(error).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield Row(number, tuple(cells))
    finally:
        workbook.close()
