"""DuckDB connections with bounded memory.

DuckDB would otherwise take up to 80 % of the machine's memory for a big join; with a limit
it spills to disk instead, so that imports and the catalog run beside the web app. The
caller passes the limit (DuckDB's notation, e.g. ``1GB``) and the folder to spill into, in
``ImportOptions`` and ``CatalogOptions``: this package reads no settings of its own.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kaohe.core import Text

from ._errors import MetricsError

DEFAULT_MEMORY = "1GB"


def connect(memory: str = DEFAULT_MEMORY, spill: Path | None = None) -> duckdb.DuckDBPyConnection:
    """A connection held to ``memory``; ``spill`` (when given) is where it spills beyond it."""
    connection = duckdb.connect()
    try:
        connection.execute(f"SET memory_limit = '{memory.replace(chr(39), '')}'")
    except duckdb.Error as error:
        connection.close()
        raise MetricsError(
            Text(
                f"DuckDB 内存上限 {memory!r} 无效（示例：1GB、512MB）：{error}",
                f"DuckDB memory limit {memory!r} is not valid (e.g. 1GB, 512MB): {error}",
            )
        ) from None
    if spill is not None:
        connection.execute(f"SET temp_directory = '{spill.as_posix().replace(chr(39), '')}'")
    return connection
