"""The metrics package's exceptions and problems, worded in Chinese and English.

MetricsError        anything the user can fix: a bad period, an unknown source
└── ImportRefused   a file with bad rows, refused whole; carries the first problems

``str()`` of each is English, for logs; ``text`` (a ``kaohe.core.Text``) holds both
languages for whoever shows it to a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.core import Text


class MetricsError(Exception):
    """A problem with what was asked, worded for the user in both languages."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)


@dataclass(frozen=True)
class RowProblem:
    line: int | None  # None for the file as a whole
    field: str  # the canonical column name, or "" for the file as a whole
    reason: Text

    def __str__(self) -> str:
        where = "file" if self.line is None else f"line {self.line}"
        return f"{where}, {self.field or '-'}: {self.reason.en}"

    def where(self) -> Text:
        if self.line is None:
            return Text("整个文件", "file")
        return Text(f"第 {self.line} 行", f"line {self.line}")


class ImportRefused(MetricsError):
    def __init__(self, file_name: str, problems: list[RowProblem], total: int) -> None:
        self.file_name = file_name
        self.problems = problems  # the first ones found, at most SHOWN_PROBLEMS
        self.total = total  # problems found, which may exceed those kept
        super().__init__(
            Text(
                f"{file_name}：{total:,} 处问题，未导入任何数据",
                f"{file_name}: {total:,} problem(s); nothing was imported",
            )
        )


class BadCell(ValueError):
    """A cell that cannot be read as its column's kind; ``text`` says why, in both languages."""

    def __init__(self, text: Text) -> None:
        self.text = text
        super().__init__(text.en)
