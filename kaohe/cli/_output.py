"""Shared pieces of the command line: the language option, padding for CJK text, errors,
problem lines."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import click

from kaohe.core import KaoheError, Lang, Text


class CommandError(KaoheError):
    """A problem with what was asked of a command, worded for the user in both languages;
    ``kaohe.cli.main`` prints it in the command's ``--lang``."""


def no_such_file(path: object) -> CommandError:
    return CommandError(Text(f"「{path}」：找不到该文件", f"{path}: no such file"))


def quoted(names: Iterable[object]) -> str:
    """Names listed as the Chinese writes them: ``「a」、「b」``."""
    return "、".join(f"「{name}」" for name in names)


def default_lang() -> str:
    lang = os.environ.get("KAOHE_LANG", "zh")
    return lang if lang in ("zh", "en") else "zh"


@dataclass
class Session:
    """What ``main`` needs to word an error once the command has failed: the language the
    command was asked for (``--lang``), else the default."""

    lang: Lang = field(default_factory=lambda: as_lang(default_lang()))


def _remember_lang(ctx: click.Context, _param: click.Parameter, value: str) -> Lang:
    lang = as_lang(value)
    session = ctx.find_object(Session)
    if session is not None:
        session.lang = lang
    return lang


lang_option = click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=default_lang,
    show_default="zh, or $KAOHE_LANG",
    help="Language of the output.",
    callback=_remember_lang,
)


def as_lang(value: Any) -> Lang:
    return "en" if value == "en" else "zh"


def headings(names: Text, lang: Lang) -> list[str]:
    """A table's header row, written as ``Text("名称|版本", "name|version")``."""
    return names(lang).split("|")


def where(line: int | None) -> Text:
    """Where in a file a problem is: a line, or the file as a whole."""
    if line is None:
        return Text("整个文件", "file")
    return Text(f"第 {line} 行", f"line {line}")


def problem_line(file_name: str, place: Text, field: str, reason: str, lang: Lang) -> str:
    """One problem of an import as ``file, line, field: reason``."""
    return f"{file_name}, {place(lang)}, {field or '-'}: {reason}"


def width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(rows: list[list[str]], indent: str = "") -> str:
    """Rows as aligned columns; the last column is left ragged."""
    if not rows:
        return ""
    count = max(len(row) for row in rows)
    widths = [max(width(row[i]) for row in rows if i < len(row)) for i in range(count - 1)]
    lines = []
    for row in rows:
        cells = [pad(cell, widths[i]) for i, cell in enumerate(row[:-1])] + row[-1:]
        lines.append((indent + "  ".join(cells)).rstrip())
    return "\n".join(lines)
