"""The core's exceptions.

    KaoheError
    ├── SchemeError          a scheme file or template cannot be used
    │   ├── SchemeFileError  malformed or invalid content, with file, line and field
    │   └── UnknownScheme    no built-in template or file by that name
    └── InputError           an indicator value is unknown, malformed or out of range

Every message is one line meant for the person who wrote the file or the value.
"""

from __future__ import annotations


class KaoheError(Exception):
    """Base of every error the core raises on purpose."""


class SchemeError(KaoheError):
    """A scheme cannot be loaded or used."""


class SchemeFileError(SchemeError):
    """A scheme file is malformed or invalid; the message names where."""

    def __init__(
        self,
        reason: str,
        *,
        file: str,
        line: int | None = None,
        indicator: str | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        self.indicator = indicator
        self.field = field
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        parts = [where]
        if self.indicator:
            parts.append(f"indicator '{self.indicator}'")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join([", ".join(parts), self.reason])


class UnknownScheme(SchemeError):
    """Neither a built-in template nor a readable file has that name."""


class InputError(KaoheError):
    """An input value is unknown to the scheme, malformed or out of range."""

    def __init__(self, input_name: str, reason: str) -> None:
        self.input_name = input_name
        self.reason = reason
        super().__init__(f"input '{input_name}': {reason}")
