import os

import pytest

from .factory import build_org

# Requests in threads writing at once need a database server: the in-memory SQLite database
# the tests otherwise use locks whole tables instead of waiting. `make test` runs these on
# PostgreSQL, and scripts/check_test_reports.py fails the run if they did not.
ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")
collect_ignore = [] if ON_POSTGRES else ["test_it_api_push_concurrently.py"]


@pytest.fixture
def org(db):
    return build_org()


@pytest.fixture
def client_for(client, org):
    """A test client signed in as one of the named people (or anonymous for None)."""

    def signed_in(key):
        client.logout()
        if key is not None:
            client.force_login(org.users[key])
        return client

    return signed_in


@pytest.fixture
def api_for(org):
    """A test client calling the API with a new token of one of the named people."""
    from django.test import Client

    from kaohe.tokens.actions import do_create_token
    from kaohe.tokens.models import TokenScope

    def calling(key, scope=TokenScope.READ):
        secret = do_create_token(None, org.users[key], "test", scope).secret
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return calling


@pytest.fixture(autouse=True)
def _uploads_in_tmp(settings, tmp_path):
    settings.UPLOADS_DIR = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests of the real hasher read the settings module itself.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """What a page keeps in the cache (the rater checks) is keyed by ids that a rolled-back
    test can hand out again: every test starts with an empty cache."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def page_for(client_for):
    """A signed-in client reading the pages in English (Chinese where a test says so)."""

    def signed_in(key, lang="en"):
        client = client_for(key)
        client.cookies["django_language"] = lang
        return client

    return signed_in
