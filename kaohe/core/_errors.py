"""The core's exceptions.

    KaoheError
    ├── SchemeError          a scheme file or template cannot be used
    │   ├── SchemeFileError  malformed or invalid content, with file, line and field
    │   └── UnknownScheme    no built-in template or file by that name
    └── InputError           an indicator value is unknown, malformed or out of range

Every message is one line meant for the person who wrote the file or the value, in both
languages: ``error.message("zh")`` for a page or a terminal, ``str(error)`` (the English)
for logs. A message names the place first (file, line, indicator and field, or the input)
and then the problem; the two parts are also there on their own, as ``where`` and
``problem``. In the Chinese, whatever is quoted from the file (ids, field names, values,
the file's name) stands in 「」.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._text import Text


class KaoheError(Exception):
    """Base of every error the core raises on purpose; ``message`` says it in both languages."""

    def __init__(self, message: Text) -> None:
        super().__init__(message.en)
        self.message = message


class SchemeError(KaoheError):
    """A scheme cannot be loaded or used."""


class SchemeFileError(SchemeError):
    """A scheme file is malformed or invalid; the message names where."""

    def __init__(
        self,
        problem: Text,
        *,
        file: str,
        line: int | None = None,
        indicator: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.indicator = indicator
        self.field = field
        super().__init__(_placed(self.where, problem))

    @property
    def where(self) -> Text:
        """``scheme.yaml, line 12, indicator 'csat', field 'rule.points'`` and the Chinese
        ``「scheme.yaml」第 12 行，指标「csat」，字段「rule.points」``."""
        zh, en = [f"「{self.file}」"], [self.file]
        if self.line is not None:
            zh[0] += f"第 {self.line} 行"
            en[0] += f", line {self.line}"
        if self.indicator:
            zh.append(f"指标「{self.indicator}」")
            en.append(f"indicator '{self.indicator}'")
        if self.field:
            zh.append(f"字段「{self.field}」")
            en.append(f"field '{self.field}'")
        return Text("，".join(zh), ", ".join(en))

    @property
    def reason(self) -> str:
        """The problem in English, as before messages had a Chinese side."""
        return self.problem.en


class UnknownScheme(SchemeError):
    """Neither a built-in template nor a readable file has that name."""

    def __init__(self, name: str, templates: Iterable[str]) -> None:
        self.name = name
        self.templates = tuple(templates)
        super().__init__(
            Text(
                f"找不到方案「{name}」（内置模板有：{quoted(self.templates)}）",
                f"unknown scheme '{name}' (built-in templates: {', '.join(self.templates)})",
            )
        )


class InputError(KaoheError):
    """An input value is unknown to the scheme, malformed or out of range."""

    def __init__(self, input_name: str, problem: Text) -> None:
        self.input_name = input_name
        self.problem = problem
        super().__init__(_placed(self.where, problem))

    @property
    def where(self) -> Text:
        return Text(f"输入「{self.input_name}」", f"input '{self.input_name}'")

    @property
    def reason(self) -> str:
        """The problem in English, as before messages had a Chinese side."""
        return self.problem.en


def quoted(names: Iterable[object]) -> str:
    """Names from a file as the Chinese lists them: ``「a」、「b」、「c」``."""
    return "、".join(f"「{name}」" for name in names)


def _placed(where: Text, problem: Text) -> Text:
    return Text(f"{where.zh}：{problem.zh}", f"{where.en}: {problem.en}")
