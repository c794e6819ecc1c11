"""An import's problems: the first ones kept for the screen, a bounded report file, and the
quarantined rows.

A file of bad rows can hold millions of problems; the screen shows the first
``SHOWN_PROBLEMS`` and the count, and the report file (written for a real import only,
never for a preview) holds at most ``REPORT_LINES`` of them and a last line saying how
many more there were. Cells go through ``kaohe.tabular.SafeWriter``, so that no cell of
an imported file runs as a formula when the report or the quarantine file is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kaohe.core import Lang, Text
from kaohe.tabular import Row, SafeWriter

from ._errors import RowProblem
from ._sources import Source

if TYPE_CHECKING:
    from ._ingest import ImportOptions

SHOWN_PROBLEMS = 100
REPORT_LINES = 10_000

_HEADER = Text("行号|字段|问题", "line|field|reason")


class Report:
    def __init__(
        self, folder: Path | None, stem: str, headers: tuple[str, ...], quarantine: bool,
        lang: Lang,
    ) -> None:  # fmt: skip
        self.count = 0
        self.kept: list[RowProblem] = []
        self.file_problems: list[RowProblem] = []
        self.path = None if folder is None else folder / f"{stem}-problems.csv"
        self.quarantine_path = (
            None if folder is None or not quarantine else folder / f"{stem}-quarantine.csv"
        )
        self.headers = headers
        self.lang = lang
        self.duplicate_lines: list[int] = []
        self._handle: TextIO | None = None
        self._quarantine: TextIO | None = None
        self._writer: SafeWriter | None = None
        self._quarantine_writer: SafeWriter | None = None

    def _open(self) -> SafeWriter | None:
        if self.path is not None and self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self._writer = SafeWriter(self._handle)
            self._writer.writerow(_HEADER(self.lang).split("|"))
        return self._writer

    def _record(self, problem: RowProblem) -> None:
        self.count += 1
        if len(self.kept) < SHOWN_PROBLEMS:
            self.kept.append(problem)
        if self.count > REPORT_LINES:
            return
        writer = self._open()
        if writer is not None:
            line = "" if problem.line is None else problem.line
            writer.writerow([line, problem.field, problem.reason(self.lang)])

    def add(self, row: Row, problems: list[RowProblem]) -> None:
        for problem in problems:
            self._record(problem)
        if self.quarantine_path is None:
            return
        if self._quarantine_writer is None:
            self._quarantine = self.quarantine_path.open("w", encoding="utf-8-sig", newline="")
            self._quarantine_writer = SafeWriter(self._quarantine)
            self._quarantine_writer.writerow([_HEADER(self.lang).split("|")[0], *self.headers])
        self._quarantine_writer.writerow([row.line, *("" if c is None else c for c in row.cells)])

    def add_file_problem(self, problem: RowProblem) -> None:
        self.file_problems.append(problem)
        self._record(problem)

    def add_duplicates(self, staging: Path, source: Source, options: ImportOptions) -> None:
        """Each repeat of an id within the file is a problem naming the first line."""
        if not staging.exists():
            return
        staged = f"read_parquet('{staging.as_posix()}')"
        key = source.key_sql()
        with options.connect() as connection:
            repeated = connection.execute(
                f"SELECT 1 FROM {staged} GROUP BY {key} HAVING count(*) > 1 LIMIT 1"
            ).fetchall()
            if not repeated:  # the usual case, found by a quick count; no need to rank lines
                return
            found = connection.execute(f"""
                SELECT _line AS line, min(_line) OVER (PARTITION BY {key}) AS first, {key}
                FROM {staged}
                QUALIFY count(*) OVER (PARTITION BY {key}) > 1 AND _line <> first
                ORDER BY line
            """).fetchall()
        for line, first, *values in found:
            self.duplicate_lines.append(int(line))
            shown = _key_text(source, values)
            again = Text(
                f"{shown.zh} 与第 {first} 行重复", f"{shown.en} also appears on line {first}"
            )
            # A composite key's last column is the one repeated within its group (a turn).
            self._record(RowProblem(int(line), source.key[-1], again))

    def discard(self) -> None:
        """Forget this attempt: the file is being read again another way."""
        self.close()
        for path in (self.path, self.quarantine_path):
            if path is not None:
                path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._writer is not None and self.count > REPORT_LINES:
            more = self.count - REPORT_LINES
            self._writer.writerow(
                ["", "", Text(f"……另有 {more:,} 处问题未列出", f"… and {more:,} more")(self.lang)]
            )
            self._writer = None
        for handle in (self._handle, self._quarantine):
            if handle is not None and not handle.closed:
                handle.close()


def _key_text(source: Source, values: list[object]) -> Text:
    """A record's key for the reader: ``C1`` for one column; ``通话编号 C1、轮次 3`` /
    ``call_id C1, turn 3`` for more."""
    if len(values) == 1:
        return Text(str(values[0]), str(values[0]))
    named = list(zip(source.key, values, strict=True))
    return Text(
        "、".join(f"{source.column(name).label.zh} {value}" for name, value in named),
        ", ".join(f"{name} {value}" for name, value in named),
    )
