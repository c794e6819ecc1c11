"""Reading tables people export from other systems: CSV (UTF-8 or GBK) and XLSX.

Pure Python, no Django: organisation imports use it now, operational-data imports later.
Rows keep the line number people see in their editor or spreadsheet.
"""

from __future__ import annotations

import csv
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
        raise TableError(name, f"unsupported file type '{suffix or name}'; use .csv or .xlsx")
    non_blank = (row for row in rows if any(_present(cell) for cell in row.cells))
    header = next(non_blank, None)
    if header is None:
        raise TableError(name, "the file is empty")
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
    raise TableError(name, "the file is neither UTF-8 nor GBK text")


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
            raise TableError(name, f"line {reader.line_num}: malformed CSV ({error})") from None
        except UnicodeDecodeError:
            raise TableError(
                name, f"line {reader.line_num + 1}: not {encoding.upper()} text"
            ) from None


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
