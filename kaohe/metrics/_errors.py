"""The metrics package's exceptions.

MetricsError        anything the user can fix: a bad period, an unknown source
└── ImportRefused   a file with bad rows, refused whole; carries every problem
"""

from __future__ import annotations

from dataclasses import dataclass


class MetricsError(Exception):
    """A problem with what was asked, worded for the user."""


@dataclass(frozen=True)
class RowProblem:
    line: int | None  # None for the file as a whole
    field: str
    reason: str

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        return f"{where}, {self.field or '-'}: {self.reason}"


class ImportRefused(MetricsError):
    def __init__(self, file_name: str, problems: list[RowProblem], total: int) -> None:
        self.file_name = file_name
        self.problems = problems
        self.total = total  # problems found, which may exceed those kept
        super().__init__(f"{file_name}: {total} bad row(s); nothing was imported")
