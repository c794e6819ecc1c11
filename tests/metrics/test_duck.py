"""DuckDB connections are bounded by the memory limit the caller passes."""

import pytest

from kaohe.metrics import MetricsError
from kaohe.metrics._duck import connect


def limit(*args) -> str:
    with connect(*args) as connection:
        return connection.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_the_default_limit_is_a_gigabyte():
    assert limit() in {"953.6 MiB", "1.0 GiB", "1000.0 MB", "1.0 GB"}


def test_the_limit_follows_the_caller_and_a_bad_one_is_named_in_both_languages():
    assert limit("256MB") in {"244.1 MiB", "256.0 MB"}
    with pytest.raises(MetricsError, match="DuckDB memory limit 'lots' is not valid") as error:
        limit("lots")
    assert "内存上限 'lots' 无效" in error.value.text.zh


def test_the_spill_folder_is_the_callers(tmp_path):
    with connect("1GB", tmp_path / "spill") as connection:
        found = connection.execute("SELECT current_setting('temp_directory')").fetchone()[0]
    assert found == (tmp_path / "spill").as_posix()
