"""DuckDB connections are bounded by KAOHE_DUCKDB_MEMORY."""

import pytest

from kaohe.metrics import MetricsError
from kaohe.metrics._duck import connect


def limit() -> str:
    with connect() as connection:
        return connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_the_default_limit_is_a_gigabyte(monkeypatch):
    monkeypatch.delenv("KAOHE_DUCKDB_MEMORY", raising=False)
    assert limit() in {"953.6 MiB", "1.0 GiB", "1000.0 MB", "1.0 GB"}


def test_the_limit_follows_the_setting_and_a_bad_one_is_named(monkeypatch):
    monkeypatch.setenv("KAOHE_DUCKDB_MEMORY", "256MB")
    assert limit() in {"244.1 MiB", "256.0 MB"}
    monkeypatch.setenv("KAOHE_DUCKDB_MEMORY", "lots")
    with pytest.raises(MetricsError, match="KAOHE_DUCKDB_MEMORY='lots'"):
        limit()
