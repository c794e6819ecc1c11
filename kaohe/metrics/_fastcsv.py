"""The fast path for CSV files: blocks of rows checked and converted column by column.

Python looking at every cell of ten million calls takes minutes; Arrow's compute kernels
take seconds. The fast path only accepts cells in the plain forms it recognises exactly
(``2026-09-01 08:30:00``, ``42``, ``呼入``). Any other row — a time with an offset, an id
typed as ``1001.0``, a row with a problem — goes to the row-by-row reader, which has the
final word on it, so a file gives the same result whichever path reads it.

A file the fast path cannot number line by line (ragged rows, a line break inside a
quoted cell, bytes that are not text) raises ``NotSimple`` and is read row by row instead.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from kaohe.tabular import Row

from ._convert import FALSE, TRUE
from ._sources import SURVEY_RANGES, Column, Kind, Source

BLOCK_BYTES = 1 << 20  # Arrow reads some 35 blocks ahead: this bounds memory
_WHOLE = r"^[0-9]{1,15}$"
_DECIMAL = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
ARROW_TYPES = {
    Kind.TEXT: pa.string(),
    Kind.CHOICE: pa.string(),
    Kind.INT: pa.int64(),
    Kind.NUMBER: pa.float64(),
    Kind.BOOL: pa.bool_(),
    Kind.TIMESTAMP: pa.timestamp("us", tz="UTC"),
}
_TIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?$"


class NotSimple(Exception):
    """The file needs the row-by-row reader."""


def string_batches(
    path: Path, encoding: str, delimiter: str, width: int, quoted: bool = True
) -> Iterator[pa.RecordBatch]:
    """The rows after the header, every cell as text, in blocks; a blank line is a row of
    empty cells, so that row n of the file is line n + 2. ``quoted``: the file holds double
    quotes, so a cell may hold a line break."""
    names = [f"c{i}" for i in range(width)]
    read_options = pacsv.ReadOptions(
        column_names=names,
        skip_rows=1,
        block_size=BLOCK_BYTES,
        encoding="utf8" if encoding == "utf-8-sig" else encoding,
    )
    parse_options = pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False)
    convert_options = pacsv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    with path.open("rb") as handle:
        try:
            reader = pacsv.open_csv(
                handle,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            for batch in reader:
                if quoted and _line_break_in(batch):
                    raise NotSimple("a cell holds a line break")  # later lines would shift
                yield batch
        except (pa.ArrowInvalid, UnicodeDecodeError) as error:
            raise NotSimple(str(error)) from None


class BlockConverter:
    """Turns a block of text cells into typed columns, and sets aside the rows it cannot
    vouch for."""

    def __init__(
        self,
        source: Source,
        mapped: list[str | None],
        zone: ZoneInfo,
        known_employees: frozenset[str] | None,
        latest: datetime | None = None,
    ) -> None:
        self.source = source
        # Times after this go to the row reader, which refuses them as in the future.
        self.latest = None if latest is None else pa.scalar(latest, pa.timestamp("us", tz="UTC"))
        self.position = {name: i for i, name in enumerate(mapped) if name is not None}
        self.zone = zone
        self.known = (
            None if known_employees is None else pa.array(sorted(known_employees), pa.string())
        )
        self.unknown: Counter[str] = Counter()
        self.blank_rows = 0  # the row reader skips blank rows; so does the count

    def convert(self, batch: pa.RecordBatch, first_line: int) -> tuple[pa.Table | None, list[Row]]:
        """(good rows as a typed table with their lines, rows for the row-by-row reader)."""
        trimmed = [pc.utf8_trim_whitespace(column) for column in batch.columns]
        present = [pc.not_equal(column, "") for column in trimmed]
        blank = pc.invert(_any(present, len(batch)))
        self.blank_rows += pc.sum(blank).as_py() or 0
        values: dict[str, pa.Array] = {}
        dates: dict[str, pa.Array] = {}
        doubtful = pa.repeat(False, len(batch))
        for column in self.source.columns:
            index = self.position.get(column.name)
            if index is None:
                value = pa.nulls(len(batch), ARROW_TYPES[column.kind])
                bad = pa.repeat(False, len(batch))
            else:
                cell = pc.if_else(present[index], trimmed[index], pa.scalar(None, pa.string()))
                value, bad, local = self._typed(column, cell)
                if local is not None:
                    dates[column.name] = local
            if column.required:
                bad = pc.or_(bad, pc.is_null(value))
            values[column.name] = value
            doubtful = pc.or_(doubtful, bad)
        doubtful = pc.or_(doubtful, self._out_of_order(values))
        doubtful = pc.and_(doubtful, pc.invert(blank))
        lines = pa.array(range(first_line, first_line + len(batch)), pa.int64())
        good_mask = pc.and_(pc.invert(doubtful), pc.invert(blank))
        leftovers = self._rows(batch, pc.filter(lines, doubtful), doubtful)
        if not pc.any(good_mask).as_py():
            return None, leftovers
        columns = {name: pc.filter(array, good_mask) for name, array in values.items()}
        for name in self.source.timestamps:
            local = dates.get(name, pa.nulls(len(batch), pa.date32()))
            columns[f"{name}_date"] = pc.filter(local, good_mask)
        columns["_line"] = pc.filter(lines, good_mask)
        self._count_unknown(columns)
        return pa.table(columns), leftovers

    def _typed(self, column: Column, cell: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array | None]:
        """(the typed values, where a present cell is not in a plain form, local dates)."""
        if column.kind is Kind.TEXT:
            return cell, pa.repeat(False, len(cell)), None
        if column.kind is Kind.TIMESTAMP:
            return self._times(cell)
        if column.kind in (Kind.INT, Kind.NUMBER):
            plain = pc.match_substring_regex(cell, _WHOLE if column.kind is Kind.INT else _DECIMAL)
            kind = pa.int64() if column.kind is Kind.INT else pa.float64()
            number = pc.cast(pc.if_else(plain, cell, pa.scalar(None, pa.string())), kind)
            fits = plain
            if column.minimum is not None:
                fits = pc.and_(fits, pc.greater_equal(number, column.minimum))
            if column.maximum is not None:
                fits = pc.and_(fits, pc.less_equal(number, column.maximum))
            return number, _unvouched(cell, fits), None
        lowered = pc.utf8_lower(cell)
        if column.kind is Kind.BOOL:
            yes = pc.is_in(lowered, pa.array(sorted(TRUE)))
            no = pc.is_in(lowered, pa.array(sorted(FALSE)))
            value = pc.if_else(yes, True, pc.if_else(no, False, pa.scalar(None, pa.bool_())))
            return value, _unvouched(cell, pc.or_(yes, no)), None
        spellings = list(column.choices)
        found = pc.index_in(lowered, value_set=pa.array(spellings))
        value = pc.take(pa.array([column.choices[s] for s in spellings]), found)
        return value, _unvouched(cell, pc.is_valid(found)), None

    def _times(self, cell: pa.Array) -> tuple[pa.Array, pa.Array, pa.Array]:
        plain = pc.match_substring_regex(cell, _TIME)
        local = _local_times(pc.if_else(plain, cell, pa.scalar(None, pa.string())))
        try:
            # Local times a clock change skips or repeats are left to the row reader.
            moment = pc.assume_timezone(
                local, timezone=self.zone.key, ambiguous="raise", nonexistent="raise"
            )
        except pa.ArrowInvalid:
            nothing = pa.nulls(len(cell), pa.timestamp("us", tz="UTC"))
            return nothing, pc.is_valid(cell), pa.nulls(len(cell), pa.date32())
        moment = pc.cast(moment, pa.timestamp("us", tz="UTC"))
        vouched = pc.is_valid(local)
        if self.latest is not None:
            vouched = pc.and_(vouched, pc.less_equal(moment, self.latest))
        return moment, _unvouched(cell, vouched), pc.cast(local, pa.date32())

    def _out_of_order(self, values: dict[str, pa.Array]) -> pa.Array:
        flags = [
            pc.fill_null(pc.less(values[later], values[earlier]), False)
            for later, earlier in self.source.time_order
        ]
        if self.source.name == "surveys":
            kind, score = values["kind"], values["score"]
            for name, (low, high) in SURVEY_RANGES.items():
                outside = pc.or_(pc.less(score, low), pc.greater(score, high))
                flags.append(pc.fill_null(pc.and_(pc.equal(kind, name), outside), False))
        return _any(flags, len(next(iter(values.values()))))

    def _rows(self, batch: pa.RecordBatch, lines: pa.Array, mask: pa.Array) -> list[Row]:
        if not pc.any(mask).as_py():
            return []
        picked = batch.filter(mask).to_pylist()
        return [
            Row(line, tuple(row.values()))
            for line, row in zip(lines.to_pylist(), picked, strict=True)
        ]

    def _count_unknown(self, columns: dict[str, pa.Array]) -> None:
        if self.known is None:
            return
        for column in self.source.columns:
            if not column.employee:
                continue
            ids = pc.drop_null(columns[column.name])
            strangers = pc.filter(ids, pc.invert(pc.is_in(ids, value_set=self.known)))
            for item in pc.value_counts(strangers).to_pylist():
                self.unknown[item["values"]] += item["counts"]


def _line_break_in(batch: pa.RecordBatch) -> bool:
    return any(
        pc.any(pc.match_substring(column, end)).as_py()
        for column in batch.columns
        for end in ("\n", "\r")
    )


def text_bytes(batch: pa.RecordBatch) -> int:
    """About how many bytes of UTF-8 the batch took in the file: its cells, delimiters and
    line ends (quotes aside)."""
    cells = sum(int(pc.sum(pc.binary_length(column)).as_py() or 0) for column in batch.columns)
    return cells + int(batch.num_rows * batch.num_columns)


def utf8_size(path: Path, encoding: str) -> int:
    """The file's size as UTF-8, estimated from its first megabyte, for the progress bar."""
    size = path.stat().st_size
    if encoding == "utf-8-sig":
        return size
    with path.open("rb") as handle:
        sample = handle.read(1 << 20)
    ratio = len(sample.decode(encoding, errors="replace").encode()) / max(len(sample), 1)
    return round(size * ratio)


def _local_times(text: pa.Array) -> pa.Array:
    """Plain local times (``2026-09-01 08:30[:00]``, space or T) as timestamps; null where
    there is no such date or time."""
    try:
        return pc.cast(text, pa.timestamp("us"))  # strict, and quick; one bad date fails all
    except pa.ArrowInvalid:
        pass
    text = pc.replace_substring(text, "T", " ")
    short = pc.equal(pc.utf8_length(text), 16)
    text = pc.if_else(short, pc.binary_join_element_wise(text, ":00", ""), text)
    local = pc.strptime(text, format="%Y-%m-%d %H:%M:%S", unit="s", error_is_null=True)
    # strptime rolls 2026-02-30 over into March; only an exact round trip is that time.
    exact = pc.equal(pc.strftime(local, format="%Y-%m-%d %H:%M:%S"), text)
    return pc.cast(pc.if_else(exact, local, pa.scalar(None, pa.timestamp("s"))), pa.timestamp("us"))


def _unvouched(cell: pa.Array, plain: pa.Array) -> pa.Array:
    """Present cells that are not in a form the fast path reads exactly."""
    return pc.and_(pc.is_valid(cell), pc.invert(pc.fill_null(plain, False)))


def _any(flags: list[pa.Array], length: int) -> pa.Array:
    result = pa.repeat(False, length)
    for flag in flags:
        result = pc.or_(result, flag)
    return result
