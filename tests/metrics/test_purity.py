"""The scoring core, the metric engine, the statistics and the models stay pure: no Django,
no environment, no clock.

Whatever they need of the world (the time now, memory limits, the language) is passed in,
so that the same call gives the same answer in a test, a command and the web app.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "kaohe"
ROOMS = ("core", "metrics", "analytics", "ml")
PURE = sorted(p for room in ROOMS for p in (ROOT / room).rglob("*.py"))

# Dotted names whose use reads the environment or the clock.
FORBIDDEN_CALLS = {
    "os.environ": "reads the environment",
    "os.getenv": "reads the environment",
    "os.environb": "reads the environment",
    "datetime.now": "reads the clock",
    "datetime.utcnow": "reads the clock",
    "datetime.today": "reads the clock",
    "date.today": "reads the clock",
    "time.time": "reads the clock",
    "time.time_ns": "reads the clock",
}


def dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for an attribute chain, or None for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted(node.value)
        return None if base is None else f"{base}.{node.attr}"
    return None


def offences(source: str) -> list[str]:
    tree = ast.parse(source)
    # Names bound by "from os import environ" and the like count as their full name.
    aliases: dict[str, str] = {}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for name in node.names:
                if name.name.split(".")[0] == "django":
                    found.append(f"line {node.lineno}: imports {name.name}")
                aliases[name.asname or name.name] = name.name
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "django":
                found.append(f"line {node.lineno}: imports from {node.module}")
            for name in node.names:
                aliases[name.asname or name.name] = f"{node.module.split('.')[-1]}.{name.name}"
    for node in ast.walk(tree):
        name = dotted(node) if isinstance(node, (ast.Attribute, ast.Name)) else None
        if name is None:
            continue
        head, _sep, rest = name.partition(".")
        full = aliases.get(head, head) + (f".{rest}" if rest else "")
        # "from datetime import datetime" makes datetime.now read as datetime.datetime.now.
        short = ".".join(full.split(".")[-2:])
        for candidate in {full, short}:
            if candidate in FORBIDDEN_CALLS:
                found.append(f"line {node.lineno}: {candidate} {FORBIDDEN_CALLS[candidate]}")
    return sorted(set(found))


@pytest.mark.parametrize("path", PURE, ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_modules_read_no_environment_or_clock_and_import_no_django(path):
    assert offences(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\nos.environ.get('X')", "os.environ reads the environment"),
        ("from os import getenv\ngetenv('X')", "os.getenv reads the environment"),
        ("from datetime import datetime\ndatetime.now()", "datetime.now reads the clock"),
        ("import datetime\ndatetime.datetime.utcnow()", "datetime.utcnow reads the clock"),
        ("from datetime import date\ndate.today()", "date.today reads the clock"),
        ("import time\ntime.time()", "time.time reads the clock"),
        ("from time import time as clock\nclock()", "time.time reads the clock"),
        ("from django.conf import settings", "imports from django.conf"),
        ("import django.db", "imports django.db"),
    ],
)
def test_the_scan_catches_each_kind_of_offence(source, expected):
    assert any(expected in found for found in offences(source))


def test_the_scan_leaves_innocent_code_alone():
    innocent = "from datetime import datetime, timedelta\nlater = datetime(2026, 1, 1)\n"
    assert offences(innocent + "import time\ntime.monotonic()\n") == []
