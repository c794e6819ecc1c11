"""DuckDB connections with bounded memory.

DuckDB would otherwise take up to 80 % of the machine's memory for a big join; with a limit
it spills to disk instead, so that imports and the catalog run beside the web app.
``KAOHE_DUCKDB_MEMORY`` (default 1GB) sets the limit, in DuckDB's notation.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import duckdb

from ._errors import MetricsError

DEFAULT_MEMORY = "1GB"


def connect() -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect()
    memory = os.environ.get("KAOHE_DUCKDB_MEMORY", DEFAULT_MEMORY)
    spill = Path(tempfile.gettempdir()) / "kaohe-duckdb"
    try:
        connection.execute(f"SET memory_limit = '{memory.replace(chr(39), '')}'")
    except duckdb.Error as error:
        connection.close()
        raise MetricsError(f"KAOHE_DUCKDB_MEMORY={memory!r}: {error}") from None
    connection.execute(f"SET temp_directory = '{spill.as_posix()}'")
    return connection
