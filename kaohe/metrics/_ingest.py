"""Importing a source file into the lake: stream, check every row, write Parquet, dedupe.

By default one bad row refuses the whole file and nothing is written; with ``quarantine``
the good rows are imported and the bad ones kept in a CSV beside the report. Re-importing
the same records changes nothing; a changed record replaces its older version.

Writing a batch takes these steps, all under the source's lock, each followed by a call
of ``options.checkpoint`` with its name: the rows are checked into a staging file
(``staged``), the batch file is placed (``placed``), the manifest lists it as pending
(``pending``), the caller's ``record`` callback records it in the app database, and the
manifest marks it committed (``committed``). A process that dies between two steps leaves
something ``Lake.reconcile`` settles; readers never see a batch the database lacks.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from kaohe.core import Lang, Text
from kaohe.tabular import Row, TableError, csv_format, normal_header, stream_table

from ._convert import converter
from ._duck import DEFAULT_MEMORY, connect
from ._errors import BadCell, ImportRefused, MetricsError, RowProblem
from ._fastcsv import (
    ARROW_TYPES,
    BlockConverter,
    NotSimple,
    string_batches,
    text_bytes,
    utf8_size,
)
from ._lake import BatchInfo, Lake, Recorded, sync_folder
from ._report import Report
from ._scoring import DERIVED_TYPES, Scorer, add_scores, scored_columns
from ._sources import SENTIMENT_MODEL, SOURCES, SURVEY_RANGES, Source

CHUNK_ROWS = 65_536


@dataclass
class ImportOptions:
    zone: ZoneInfo
    now: datetime  # aware; stamps the batch and its report, and bounds times in the future
    quarantine: bool = False
    known_employees: frozenset[str] | None = None  # None: do not check
    header_map: dict[str, str] | None = None  # a site's own header → canonical name
    by: str = ""
    report_dir: Path | None = None  # where a real import writes its problem report
    # Called with the rows read so far and, when known, the share of the file read.
    progress: Callable[[int, float | None], None] | None = None
    dry_run: bool = False  # check and count only: the lake stays as it was, no report
    lang: Lang = "zh"  # of the problem report
    future_tolerance: timedelta = timedelta(days=1)  # times later than now + this are refused
    memory: str = DEFAULT_MEMORY  # DuckDB's memory limit
    spill_dir: Path | None = None  # where DuckDB spills beyond it
    # Called with each write step's name once it is done (staged, placed, pending,
    # committed), so that a test can stop the process there.
    checkpoint: Callable[[str], None] | None = None
    # The batches the app database records, to settle batches an earlier import left
    # pending; without it, a pending batch stops the import.
    recorded: Recorded | None = None
    # Scores the sentiment of the transcripts' turns and the surveys' comments as they are
    # imported, before the batch is published; without it their scores are null. The
    # metrics package takes any scorer: the web app passes kaohe.ml's model, tests their
    # own. A dry run does not call it: it writes nothing.
    sentiment: Scorer | None = None
    sentiment_version: str = ""  # the scorer's model, kept on every row it scores

    def __post_init__(self) -> None:
        if self.sentiment is not None and not self.sentiment_version.strip():
            raise ValueError("a sentiment scorer needs its model's version")

    @property
    def latest(self) -> datetime:
        """The latest time a record may hold."""
        return self.now + self.future_tolerance

    def connect(self) -> duckdb.DuckDBPyConnection:
        return connect(self.memory, self.spill_dir)

    def reached(self, step: str) -> None:
        if self.checkpoint is not None and not self.dry_run:
            self.checkpoint(step)


def arrow_schema(source: Source) -> pa.Schema:
    fields = [pa.field(c.name, ARROW_TYPES[c.kind]) for c in source.columns]
    fields += [pa.field(name, DERIVED_TYPES[kind]) for name, kind in source.derived]
    # The local date of each time, so that working-day SQL needs no time-zone functions.
    fields += [pa.field(f"{name}_date", pa.date32()) for name in source.timestamps]
    fields += [pa.field("_line", pa.int64()), pa.field("_batch", pa.int64())]
    return pa.schema(fields)


def _map_headers(
    source: Source, headers: tuple[str, ...], options: ImportOptions
) -> list[str | None]:
    lookup: dict[str, str] = {}
    for column in source.columns:
        for spelling in (column.name, *column.aliases):
            lookup.setdefault(normal_header(spelling), column.name)
    for own, canonical in (options.header_map or {}).items():
        lookup[normal_header(own)] = canonical
    mapped: list[str | None] = [lookup.get(normal_header(h)) for h in headers]
    problems = []
    for column in source.columns:
        count = mapped.count(column.name)
        if count > 1:
            twice = Text("这一列出现了不止一次", "the column appears more than once")
            problems.append(RowProblem(None, column.name, twice))
        if column.required and count == 0:
            spelled = " / ".join((column.name, *column.aliases[:2]))
            missing = Text(f"缺少必填列（{spelled}）", f"required column missing ({spelled})")
            problems.append(RowProblem(None, column.name, missing))
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
        self.latest = options.latest

    def read(self, row: Row) -> tuple[dict[str, object] | None, list[RowProblem]]:
        values: dict[str, object] = {}
        problems: list[RowProblem] = []
        for index, name in self.positions:
            cell = row.get(index)
            if cell is None or (isinstance(cell, str) and not cell.strip()):
                continue
            try:
                values[name] = self.convert[name](cell)
            except BadCell as error:
                problems.append(RowProblem(row.line, name, error.text))
        for name in self.required:
            if name not in values and not any(p.field == name for p in problems):
                empty = Text("必填，但为空", "required, but empty")
                problems.append(RowProblem(row.line, name, empty))
        problems += self._out_of_order(row.line, values)
        problems += self._in_the_future(row.line, values)
        if problems:
            return None, problems
        known = self.options.known_employees
        if known is not None:
            for name in self.employees:
                employee = values.get(name)
                if employee is not None and employee not in known:
                    self.unknown[str(employee)] += 1
        return values, []

    def _out_of_order(self, line: int, values: dict[str, object]) -> list[RowProblem]:
        problems = []
        for later, earlier in self.source.time_order:
            if later in values and earlier in values and values[later] < values[earlier]:  # type: ignore[operator]
                label = self.source.column(earlier).label.zh
                before = Text(f"早于{label}（{earlier}）", f"is before {earlier}")
                problems.append(RowProblem(line, later, before))
        if self.source.name == "surveys" and "kind" in values and "score" in values:
            kind = str(values["kind"])
            low, high = SURVEY_RANGES[kind]
            score = values["score"]
            if not low <= score <= high:  # type: ignore[operator]
                outside = Text(
                    f"{score:g} 超出 {kind} 的分数范围 {low}–{high}",
                    f"{score:g} is outside {kind} {low}–{high}",
                )
                problems.append(RowProblem(line, "score", outside))
        return problems

    def _in_the_future(self, line: int, values: dict[str, object]) -> list[RowProblem]:
        problems = []
        for name in self.source.timestamps:
            moment = values.get(name)
            if isinstance(moment, datetime) and moment > self.latest:
                problems.append(RowProblem(line, name, future_text(moment, self.options)))
        return problems

    def take(self, row: Row, report: Report, good: list[dict[str, object]]) -> bool:
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


def future_text(moment: datetime, options: ImportOptions) -> Text:
    shown = moment.astimezone(options.zone).strftime("%Y-%m-%d %H:%M:%S")
    hours = options.future_tolerance.total_seconds() / 3600
    count, zh_unit, en_unit = (hours / 24, "天", "day") if hours >= 24 else (hours, "小时", "hour")
    plural = "" if count == 1 else "s"
    return Text(
        f"时间在未来：{shown}（比当前时间晚了 {count:g} {zh_unit}以上）",
        f"is in the future: {shown} (more than {count:g} {en_unit}{plural} from now)",
    )


def source_named(name: str) -> Source:
    source = SOURCES.get(name)
    if source is None:
        raise MetricsError(
            Text(
                f"未知的数据类型 '{name}'（可用：{'、'.join(SOURCES)}）",
                f"unknown source '{name}' (sources: {', '.join(SOURCES)})",
            )
        )
    return source


def import_file(
    lake: Lake,
    source_name: str,
    path: Path,
    file_name: str,
    options: ImportOptions,
    record: Callable[[BatchInfo], object] | None = None,
) -> BatchInfo:
    """Import one file of one source; raises ImportRefused, with the first problems, on bad
    rows. ``record`` (the app database's side) is called with a placed, pending batch while
    the source is locked; the batch becomes visible only once it returns."""
    source = source_named(source_name)
    try:
        _name, headers, header_line, _rows = stream_table(path, file_name)
        mapped = _map_headers(source, headers, options)
    except TableError as error:
        raise ImportRefused(file_name, [RowProblem(None, "", error.text)], 1) from None
    except ImportRefused as refused:
        raise ImportRefused(file_name, refused.problems, refused.total) from None
    checksum, quoted = _scan(path)
    with lake.locked(source.name):
        _settle_pending(lake, source.name, options)
        seq = _next_seq(lake, source.name, options)
        staging = lake.folder(source.name) / f".staging-{seq}.parquet"
        staged = None
        try:
            csv_file = header_line == 1 and Path(file_name).suffix.lower() == ".csv"
            if csv_file:
                staged = _try_blocks(source, path, file_name, headers, mapped, seq, staging,
                                     options, quoted)  # fmt: skip
            if staged is None:
                staged = _stage_rows(
                    source, path, file_name, headers, mapped, seq, staging, options
                )
            options.reached("staged")
            report = staged.report
            report.add_duplicates(staging, source, options)
            if (report.count and not options.quarantine) or report.file_problems:
                raise ImportRefused(file_name, report.kept, report.count)
            info = _merge_into_lake(
                lake, source, staging, seq, checksum, file_name, staged, options
            )
            if info.file:  # a file with nothing new leaves the lake as it was
                _publish(lake, source.name, info, options, record)
            return info
        finally:
            staging.unlink(missing_ok=True)
            if staged is not None:
                staged.report.close()


def _next_seq(lake: Lake, source: str, options: ImportOptions) -> int:
    """After every batch the lake or the database knows: a batch the lake lost (restored
    from an older backup) never has its number given to another, whose record would
    then clash with the old one."""
    seq = lake.next_seq(source)
    if options.recorded is not None:
        seq = max([seq, *(number + 1 for name, number in options.recorded() if name == source)])
    return seq


def _settle_pending(lake: Lake, source: str, options: ImportOptions) -> None:
    """An earlier import that died half-way left a pending batch: settle it first, since
    this import's dedupe must see exactly the batches the database records."""
    if not lake.pending(source):
        return
    if options.recorded is None:
        raise MetricsError(
            Text(
                f"上一次导入 {source} 时中断了；请先运行 kaohe data check",
                f"an earlier import of {source} was interrupted; run kaohe data check first",
            )
        )
    seqs = {seq for name, seq in options.recorded() if name == source}
    for finding in lake.settle(source, seqs):
        lake.log.warning("lake %s", finding)


def _publish(
    lake: Lake,
    source: str,
    info: BatchInfo,
    options: ImportOptions,
    record: Callable[[BatchInfo], object] | None,
) -> None:
    """Pending, recorded by the caller, committed; if recording fails, the database has
    the last word on whether the batch stays."""
    lake.add_pending(source, info)
    options.reached("pending")
    try:
        if record is not None:
            record(info)
    except BaseException:
        if options.recorded is not None and lake.pending(source):
            _settle_pending(lake, source, options)
        else:
            lake.discard(source, info.seq)
        raise
    lake.commit(source, info.seq)
    info.state = "committed"
    options.reached("committed")


def _try_blocks(
    source: Source, path: Path, file_name: str, headers: tuple[str, ...],
    mapped: list[str | None], seq: int, staging: Path, options: ImportOptions, quoted: bool,
) -> _Staged | None:  # fmt: skip
    try:
        return _stage_blocks(
            source, path, file_name, headers, mapped, seq, staging, options, quoted
        )
    except NotSimple:
        return None  # read it again, row by row


@dataclass
class _Staged:
    """What reading a file into the staging Parquet file found."""

    report: Report
    rows_read: int
    unknown: Counter[str]


def _stage_rows(
    source: Source, path: Path, file_name: str, headers: tuple[str, ...],
    mapped: list[str | None], seq: int, staging: Path, options: ImportOptions,
) -> _Staged:  # fmt: skip
    """Read and check the file one row at a time (XLSX, and CSV the fast path declines)."""
    _name, _headers, _line, rows = stream_table(path, file_name)
    report = _report(options, source, seq, headers)
    reader = _RowReader(source, mapped, options)
    schema = arrow_schema(source)
    read = 0
    with pq.ParquetWriter(staging, schema, compression="zstd") as writer:
        chunk: list[dict[str, object]] = []
        try:
            for row in rows:
                read += 1
                if reader.take(row, report, chunk) and len(chunk) >= CHUNK_ROWS:
                    writer.write_table(_to_arrow(chunk, source, schema, options, seq))
                    chunk = []
                if options.progress is not None and read % 10_000 == 0:
                    options.progress(read, None)
        except TableError as error:
            report.add_file_problem(RowProblem(None, "", error.text))
        if chunk:
            writer.write_table(_to_arrow(chunk, source, schema, options, seq))
    return _Staged(report, read, reader.unknown)


def _stage_blocks(
    source: Source, path: Path, file_name: str, headers: tuple[str, ...],
    mapped: list[str | None], seq: int, staging: Path, options: ImportOptions, quoted: bool,
) -> _Staged:  # fmt: skip
    """Read and check a CSV file a block at a time; rows the block converter cannot vouch
    for go through the row reader. Raises NotSimple, having written nothing that stays."""
    encoding, delimiter = csv_format(path, file_name)
    size, done = max(utf8_size(path, encoding), 1), 0
    report = _report(options, source, seq, headers)
    reader = _RowReader(source, mapped, options)
    blocks = BlockConverter(
        source, mapped, options.zone, options.known_employees, latest=options.latest
    )
    schema = arrow_schema(source)
    read = 0
    try:
        with pq.ParquetWriter(staging, schema, compression="zstd") as writer:
            for batch in string_batches(path, encoding, delimiter, len(headers), quoted):
                table, doubtful = blocks.convert(batch, first_line=2 + read)
                read += len(batch)
                if table is not None:
                    table = table.append_column("_batch", pa.repeat(pa.scalar(seq), len(table)))
                    table = add_scores(table, source, options)
                    writer.write_table(table.select(schema.names).cast(schema))
                chunk: list[dict[str, object]] = []
                for row in doubtful:
                    reader.take(row, report, chunk)
                if chunk:
                    writer.write_table(_to_arrow(chunk, source, schema, options, seq))
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
    chunk: list[dict[str, object]], source: Source, schema: pa.Schema, options: ImportOptions,
    seq: int,
) -> pa.Table:  # fmt: skip
    zone = options.zone
    columns: dict[str, list[object] | pa.Array] = {}
    for column in source.columns:
        columns[column.name] = [row.get(column.name) for row in chunk]
    for name in source.timestamps:
        columns[f"{name}_date"] = [
            None if (moment := row.get(name)) is None else moment.astimezone(zone).date()  # type: ignore[attr-defined]
            for row in chunk
        ]
    if source.scored is not None:
        texts = columns[source.scored.text]
        assert isinstance(texts, list)
        columns.update(scored_columns(source, texts, options))
    columns["_line"] = [row["_line"] for row in chunk]
    columns["_batch"] = [seq] * len(chunk)
    return pa.table(columns, schema=schema)


def _report(options: ImportOptions, source: Source, seq: int, headers: tuple[str, ...]) -> Report:
    """The problem report of this import: on screen always, on disk only for a real import."""
    folder = None if options.dry_run else options.report_dir
    stamp = options.now.astimezone(options.zone).strftime("%Y%m%dT%H%M%S")
    return Report(folder, f"{stamp}-{source.name}-{seq}", headers, options.quarantine, options.lang)


def _merge_into_lake(
    lake: Lake, source: Source, staging: Path, seq: int, checksum: str, file_name: str,
    staged: _Staged, options: ImportOptions,
) -> BatchInfo:  # fmt: skip
    report = staged.report
    key, matches = source.key[0], source.key_matches("s", "e")  # key columns are never null
    rows = f"read_parquet('{staging.as_posix()}')"
    skip = report.duplicate_lines
    if skip:
        rows = f"(SELECT * FROM {rows} WHERE _line NOT IN ({', '.join(map(str, skip))}))"
    names = [column.name for column in source.columns]
    scoring = source.scored is not None and options.sentiment is not None
    if scoring:
        # Scored by another model, a record is re-scored (and counted as replaced); imported
        # without a scorer, an unchanged record keeps the scores it has.
        names.append(SENTIMENT_MODEL)
    current = lake.current(source.name, ", ".join(names))
    # A record is unchanged when every value is as the lake has it, nulls included.
    same = " AND ".join(f"s.{name} IS NOT DISTINCT FROM e.{name}" for name in names)
    target = lake.folder(source.name) / f"batch-{seq:06d}.parquet"
    with options.connect() as connection:
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
                FROM staged s LEFT JOIN existing e ON {matches}
            """).fetchone()  # type: ignore[misc]
            fresh = f"""
                SELECT s.* FROM staged s LEFT JOIN existing e ON {matches}
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
            _sync(target)
            written = target.name
            options.reached("placed")
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
        imported_at=options.now.isoformat(timespec="seconds"),
        by=options.by,
        quarantine_file=""
        if report.quarantine_path is None or not report.count
        else str(report.quarantine_path),
        report_file="" if report.path is None or not report.count else str(report.path),
        unknown_employees=dict(staged.unknown.most_common(1000)),
        problems=list(report.kept),
        sentiment_model=options.sentiment_version if scoring else "",
    )
    return info


def _sync(path: Path) -> None:
    """The placed batch file is on disk before the manifest names it."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())
    sync_folder(path.parent)
