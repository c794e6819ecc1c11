"""Importing a source file into the lake: stream, check every row, write Parquet, dedupe.

By default one bad row refuses the whole file and nothing is written; with ``quarantine``
the good rows are imported and the bad ones kept in a CSV beside the report. Re-importing
the same records changes nothing; a changed record replaces its older version.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.parquet as pq

from kaohe.tabular import Row, TableError, csv_format, stream_table

from ._convert import converter
from ._duck import connect
from ._errors import ImportRefused, MetricsError, RowProblem
from ._fastcsv import (
    ARROW_TYPES,
    BlockConverter,
    NotSimple,
    string_batches,
    text_bytes,
    utf8_size,
)
from ._lake import BatchInfo, Lake
from ._sources import SOURCES, SURVEY_RANGES, Source

CHUNK_ROWS = 65_536
SHOWN_PROBLEMS = 100


@dataclass
class ImportOptions:
    zone: ZoneInfo
    quarantine: bool = False
    known_employees: frozenset[str] | None = None  # None: do not check
    header_map: dict[str, str] | None = None  # a site's own header → canonical name
    by: str = ""
    report_dir: Path | None = None
    # Called with the rows read so far and, when known, the share of the file read.
    progress: Callable[[int, float | None], None] | None = None
    dry_run: bool = False  # check and count only: the lake stays as it was


def arrow_schema(source: Source) -> pa.Schema:
    fields = [pa.field(c.name, ARROW_TYPES[c.kind]) for c in source.columns]
    # The local date of each time, so that working-day SQL needs no time-zone functions.
    fields += [pa.field(f"{name}_date", pa.date32()) for name in source.timestamps]
    fields += [pa.field("_line", pa.int64()), pa.field("_batch", pa.int64())]
    return pa.schema(fields)


def _normal(header: str) -> str:
    return re.sub(r"[\s_]+", "", header).lower()


def _map_headers(
    source: Source, headers: tuple[str, ...], options: ImportOptions
) -> list[str | None]:
    lookup: dict[str, str] = {}
    for column in source.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(_normal(spelling), column.name)
    for own, canonical in (options.header_map or {}).items():
        lookup[_normal(own)] = canonical
    mapped: list[str | None] = [lookup.get(_normal(h)) for h in headers]
    problems = []
    for column in source.columns:
        count = mapped.count(column.name)
        if count > 1:
            problems.append(RowProblem(None, column.name, "the column appears more than once"))
        if column.required and count == 0:
            spelled = " / ".join((column.name, *column.aliases[:2]))
            problems.append(RowProblem(None, column.name, f"required column missing ({spelled})"))
    if problems:
        raise ImportRefused("", problems, len(problems))
    return mapped


class _RowReader:
    """Checks one row at a time and collects the good ones column by column."""

    def __init__(self, source: Source, mapped: list[str | None], options: ImportOptions):
        self.source = source
        self.options = options
        self.zone = options.zone
        self.positions = [(i, name) for i, name in enumerate(mapped) if name is not None]
        self.convert = {c.name: converter(c, options.zone) for c in source.columns}
        self.required = [c.name for c in source.columns if c.required]
        self.employees = [c.name for c in source.columns if c.employee]
        self.unknown: Counter[str] = Counter()

    def read(self, row: Row) -> tuple[dict[str, object] | None, list[RowProblem]]:
        values: dict[str, object] = {}
        problems: list[RowProblem] = []
        for index, name in self.positions:
            cell = row.get(index)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            try:
                values[name] = self.convert[name](cell)
            except ValueError as error:
                problems.append(RowProblem(row.line, name, str(error)))
        for name in self.required:
            if name not in values and not any(p.field == name for p in problems):
                problems.append(RowProblem(row.line, name, "required, but empty"))
        for later, earlier in self.source.time_order:
            if later in values and earlier in values and values[later] < values[earlier]:  # type: ignore[operator]
                problems.append(RowProblem(row.line, later, f"is before {earlier}"))
        if self.source.name == "surveys" and "kind" in values and "score" in values:
            low, high = SURVEY_RANGES[str(values["kind"])]
            score = values["score"]
            if not low <= score <= high:  # type: ignore[operator]
                problems.append(
                    RowProblem(
                        row.line, "score", f"{score:g} is outside {values['kind']} {low}–{high}"
                    )
                )
        if problems:
            return None, problems
        known = self.options.known_employees
        if known is not None:
            for name in self.employees:
                employee = values.get(name)
                if employee is not None and employee not in known:
                    self.unknown[str(employee)] += 1
        return values, []

    def take(self, row: Row, report: _Report, good: list[dict[str, object]]) -> bool:
        """Check one row: a good one joins ``good``, a bad one goes to the report."""
        values, problems = self.read(row)
        if values is None:
            report.add(row, problems)
            return False
        values["_line"] = row.line
        good.append(values)
        return True


def _scan(path: Path) -> tuple[str, bool]:
    """(the file's sha256, whether it holds a double quote anywhere): only a quoted cell
    can hold a line break."""
    digest, quoted = hashlib.sha256(), False
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            quoted = quoted or b'"' in block
    return digest.hexdigest(), quoted


def import_file(
    lake: Lake, source_name: str, path: Path, file_name: str, options: ImportOptions
) -> BatchInfo:
    """Import one file of one source; raises ImportRefused, with every problem, on bad rows."""
    source = SOURCES.get(source_name)
    if source is None:
        raise MetricsError(f"unknown source '{source_name}' (sources: {', '.join(SOURCES)})")
    try:
        _name, headers, header_line, _rows = stream_table(path, file_name)
        mapped = _map_headers(source, headers, options)
    except TableError as error:
        raise ImportRefused(file_name, [RowProblem(None, "", error.reason)], 1) from None
    except ImportRefused as refused:
        raise ImportRefused(file_name, refused.problems, refused.total) from None
    checksum, quoted = _scan(path)
    with lake.locked(source.name):
        seq = lake.next_seq(source.name)
        staging = lake.folder(source.name) / f".staging-{seq}.parquet"
        try:
            staged = None
            if header_line == 1 and Path(file_name).suffix.lower() == ".csv":
                try:
                    staged = _stage_blocks(
                        source, path, file_name, headers, mapped, seq, staging, options, quoted
                    )
                except NotSimple:
                    staged = None  # read it again, row by row
            if staged is None:
                staged = _stage_rows(
                    source, path, file_name, headers, mapped, seq, staging, options
                )
            report = staged.report
            report.add_duplicates(staging, source)
            if (report.count and not options.quarantine) or report.file_problems:
                raise ImportRefused(file_name, report.kept, report.count)
            return _merge_into_lake(
                lake, source, staging, seq, checksum, file_name, staged, options
            )
        finally:
            staging.unlink(missing_ok=True)
            if staged is not None:
                staged.report.close()


@dataclass
class _Staged:
    """What reading a file into the staging Parquet file found."""

    report: _Report
    rows_read: int
    unknown: Counter[str]


def _stage_rows(
    source: Source, path: Path, file_name: str, headers: tuple[str, ...],
    mapped: list[str | None], seq: int, staging: Path, options: ImportOptions,
) -> _Staged:  # fmt: skip
    """Read and check the file one row at a time (XLSX, and CSV the fast path declines)."""
    _name, _headers, _line, rows = stream_table(path, file_name)
    report = _Report(options.report_dir, source.name, seq, headers, options.quarantine)
    reader = _RowReader(source, mapped, options)
    schema = arrow_schema(source)
    read = 0
    with pq.ParquetWriter(staging, schema, compression="zstd") as writer:
        chunk: list[dict[str, object]] = []
        try:
            for row in rows:
                read += 1
                if reader.take(row, report, chunk) and len(chunk) >= CHUNK_ROWS:
                    writer.write_table(_to_arrow(chunk, source, schema, options.zone, seq))
                    chunk = []
                if options.progress is not None and read % 10_000 == 0:
                    options.progress(read, None)
        except TableError as error:
            report.add_file_problem(RowProblem(None, "", error.reason))
        if chunk:
            writer.write_table(_to_arrow(chunk, source, schema, options.zone, seq))
    return _Staged(report, read, reader.unknown)


def _stage_blocks(
    source: Source, path: Path, file_name: str, headers: tuple[str, ...],
    mapped: list[str | None], seq: int, staging: Path, options: ImportOptions, quoted: bool,
) -> _Staged:  # fmt: skip
    """Read and check a CSV file a block at a time; rows the block converter cannot vouch
    for go through the row reader. Raises NotSimple, having written nothing that stays."""
    encoding, delimiter = csv_format(path, file_name)
    size, done = max(utf8_size(path, encoding), 1), 0
    report = _Report(options.report_dir, source.name, seq, headers, options.quarantine)
    reader = _RowReader(source, mapped, options)
    blocks = BlockConverter(source, mapped, options.zone, options.known_employees)
    schema = arrow_schema(source)
    read = 0
    try:
        with pq.ParquetWriter(staging, schema, compression="zstd") as writer:
            for batch in string_batches(path, encoding, delimiter, len(headers), quoted):
                table, doubtful = blocks.convert(batch, first_line=2 + read)
                read += len(batch)
                if table is not None:
                    table = table.append_column("_batch", pa.repeat(pa.scalar(seq), len(table)))
                    writer.write_table(table.select(schema.names).cast(schema))
                chunk: list[dict[str, object]] = []
                for row in doubtful:
                    reader.take(row, report, chunk)
                if chunk:
                    writer.write_table(_to_arrow(chunk, source, schema, options.zone, seq))
                if options.progress is not None:
                    done += text_bytes(batch)
                    options.progress(read, min(done / size, 0.99))
    except NotSimple:
        report.discard()
        raise
    if options.progress is not None:
        options.progress(read, 1.0)
    reader.unknown.update(blocks.unknown)
    return _Staged(report, read - blocks.blank_rows, reader.unknown)


def _to_arrow(
    chunk: list[dict[str, object]], source: Source, schema: pa.Schema, zone: ZoneInfo, seq: int
) -> pa.Table:
    columns: dict[str, list[object]] = {}
    for column in source.columns:
        columns[column.name] = [row.get(column.name) for row in chunk]
    for name in source.timestamps:
        columns[f"{name}_date"] = [
            None if (moment := row.get(name)) is None else moment.astimezone(zone).date()  # type: ignore[attr-defined]
            for row in chunk
        ]
    columns["_line"] = [row["_line"] for row in chunk]
    columns["_batch"] = [seq] * len(chunk)
    return pa.table(columns, schema=schema)


class _Report:
    """Every problem goes to the report file; the first ones are kept for the screen."""

    def __init__(
        self, folder: Path | None, source: str, seq: int, headers: tuple[str, ...], quarantine: bool
    ):
        self.count = 0
        self.kept: list[RowProblem] = []
        self.file_problems: list[RowProblem] = []
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        self.path = None if folder is None else folder / f"{stamp}-{source}-{seq}-problems.csv"
        self.quarantine_path = (
            None
            if folder is None or not quarantine
            else folder / f"{stamp}-{source}-{seq}-quarantine.csv"
        )
        self.headers = headers
        self.duplicate_lines: list[int] = []
        self._handle: TextIO | None = None
        self._quarantine: TextIO | None = None
        self._writer: Any = None  # csv writers have no public type
        self._quarantine_writer: Any = None

    def _open(self) -> None:
        if self.path is not None and self._handle is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["line", "field", "reason"])

    def _record(self, problem: RowProblem) -> None:
        self.count += 1
        if len(self.kept) < SHOWN_PROBLEMS:
            self.kept.append(problem)
        self._open()
        if self._writer is not None:
            self._writer.writerow(
                ["" if problem.line is None else problem.line, problem.field, problem.reason]
            )

    def add(self, row: Row, problems: list[RowProblem]) -> None:
        for problem in problems:
            self._record(problem)
        if self.quarantine_path is not None:
            if self._quarantine_writer is None:
                self._quarantine = self.quarantine_path.open("w", encoding="utf-8-sig", newline="")
                self._quarantine_writer = csv.writer(self._quarantine)
                self._quarantine_writer.writerow(["line", *self.headers])
            self._quarantine_writer.writerow(
                [row.line, *("" if c is None else c for c in row.cells)]
            )

    def add_file_problem(self, problem: RowProblem) -> None:
        self.file_problems.append(problem)
        self._record(problem)

    def add_duplicates(self, staging: Path, source: Source) -> None:
        """Each repeat of an id within the file is a problem naming the first line."""
        if not staging.exists():
            return
        staged = f"read_parquet('{staging.as_posix()}')"
        with connect() as connection:
            repeated = connection.execute(
                f"SELECT 1 FROM {staged} GROUP BY {source.key} HAVING count(*) > 1 LIMIT 1"
            ).fetchall()
        if not repeated:  # the usual case, found by a quick count; no need to rank lines
            return
        query = f"""
            SELECT {source.key} AS id, _line AS line,
                   min(_line) OVER (PARTITION BY {source.key}) AS first
            FROM {staged}
            QUALIFY count(*) OVER (PARTITION BY {source.key}) > 1 AND _line <> first
            ORDER BY line
        """
        for key, line, first in duplicate_rows(query):
            self.duplicate_lines.append(line)
            self._record(RowProblem(line, source.key, f"{key} also appears on line {first}"))

    def discard(self) -> None:
        """Forget this attempt: the file is being read again another way."""
        self.close()
        for path in (self.path, self.quarantine_path):
            if path is not None:
                path.unlink(missing_ok=True)

    def close(self) -> None:
        for handle in (self._handle, self._quarantine):
            if handle is not None and not handle.closed:
                handle.close()


def duplicate_rows(query: str) -> list[tuple[str, int, int]]:
    with connect() as connection:
        return [(str(k), int(n), int(f)) for k, n, f in connection.execute(query).fetchall()]


def _merge_into_lake(
    lake: Lake, source: Source, staging: Path, seq: int, checksum: str, file_name: str,
    staged: _Staged, options: ImportOptions,
) -> BatchInfo:  # fmt: skip
    report = staged.report
    key = source.key
    rows = f"read_parquet('{staging.as_posix()}')"
    skip = report.duplicate_lines
    if skip:
        rows = f"(SELECT * FROM {rows} WHERE _line NOT IN ({', '.join(map(str, skip))}))"
    names = [column.name for column in source.columns]
    current = lake.current(source.name, ", ".join(names))
    # A record is unchanged when every value is as the lake has it, nulls included.
    same = " AND ".join(f"s.{name} IS NOT DISTINCT FROM e.{name}" for name in names)
    target = lake.folder(source.name) / f"batch-{seq:06d}.parquet"
    with connect() as connection:
        connection.execute(f"CREATE TEMP VIEW staged AS SELECT * FROM {rows}")
        if current is None:
            accepted = connection.execute("SELECT count(*) FROM staged").fetchone()[0]  # type: ignore[index]
            replaced = unchanged = 0
            fresh = "SELECT * FROM staged"
        else:
            connection.execute(f"CREATE TEMP VIEW existing AS SELECT * FROM {current}")
            accepted, replaced, unchanged = connection.execute(f"""
                SELECT count(*) FILTER (WHERE e.{key} IS NULL),
                       count(*) FILTER (WHERE e.{key} IS NOT NULL AND NOT ({same})),
                       count(*) FILTER (WHERE e.{key} IS NOT NULL AND {same})
                FROM staged s LEFT JOIN existing e ON s.{key} = e.{key}
            """).fetchone()  # type: ignore[misc]
            fresh = f"""
                SELECT s.* FROM staged s LEFT JOIN existing e ON s.{key} = e.{key}
                WHERE e.{key} IS NULL OR NOT ({same})
            """
        written = ""
        if (accepted or replaced) and not options.dry_run:
            if unchanged or skip:
                connection.execute(
                    f"COPY ({fresh}) TO '{target.as_posix()}' (FORMAT parquet, COMPRESSION zstd)"
                )
            else:  # every staged row is new or changed: the staging file is the batch
                os.replace(staging, target)
            written = target.name
    info = BatchInfo(
        seq=seq,
        file=written,
        source_file=file_name,
        checksum=checksum,
        rows_read=staged.rows_read,
        accepted=int(accepted),
        replaced=int(replaced),
        unchanged=int(unchanged),
        rejected=report.count,
        imported_at=datetime.now(UTC).isoformat(timespec="seconds"),
        by=options.by,
        quarantine_file=""
        if report.quarantine_path is None or not report.count
        else str(report.quarantine_path),
        report_file="" if report.path is None or not report.count else str(report.path),
        unknown_employees=dict(staged.unknown.most_common(1000)),
    )
    if written:  # a file with nothing new leaves the lake as it was
        lake.record(source.name, info)
    return info
