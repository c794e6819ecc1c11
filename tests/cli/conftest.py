import pytest

from .test_cli import on_empty_home


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A home with the demo organisation and no records: one for each test module."""
    home = tmp_path_factory.mktemp("home")
    assert on_empty_home(home, "demo", "--no-serve", "--no-data").returncode == 0
    return home
