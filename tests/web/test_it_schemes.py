"""The scheme library: clone, edit with live checks, versions frozen by use, defaults."""

import pytest
from django.urls import reverse
from django.utils import translation

from kaohe.schemes.library import default_version, import_builtin_schemes
from kaohe.schemes.models import DefaultScheme, SchemeVersion


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def english_client(client_for, settings):
    """A signed-in client whose pages are in English."""

    def signed_in(key):
        client = client_for(key)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return signed_in


@pytest.fixture
def library(org):
    import_builtin_schemes()
    return SchemeVersion.objects.get(code="cs-agent")


def test_built_in_templates_arrive_once_as_versions(library):
    codes = set(SchemeVersion.objects.values_list("code", flat=True))
    assert {"cs-agent", "cs-director", "admin-staff", "tech-support"} <= codes
    assert "service-base" not in codes  # abstract: never scored itself
    assert import_builtin_schemes() == []  # again: nothing new


def test_clone_then_edit_in_place_until_a_cycle_uses_it(library, org, english_client):
    client = english_client("alice")
    client.post(reverse("scheme-clone", args=[library.pk]), {"code": "cs-agent-hq"})
    clone = SchemeVersion.objects.get(code="cs-agent-hq")
    assert clone.number == 1
    assert "id: cs-agent-hq" in clone.text
    edited = clone.text.replace("weight: 60", "weight: 55").replace("weight: 20", "weight: 25", 1)
    client.post(reverse("scheme-edit", args=[clone.pk]), {"text": edited})
    clone.refresh_from_db()
    assert clone.text == edited  # not in use yet: edited in place
    SchemeVersion.objects.filter(pk=clone.pk).update(frozen=True)  # as a launch does
    again = edited.replace("weight: 55", "weight: 50").replace("weight: 25", "weight: 30", 1)
    response = client.post(reverse("scheme-edit", args=[clone.pk]), {"text": again}, follow=True)
    assert "so this was saved as cs-agent-hq v2" in response.content.decode()
    clone.refresh_from_db()
    assert clone.text == edited  # the frozen version is untouched
    assert SchemeVersion.objects.get(code="cs-agent-hq", number=2).text == again


def test_a_scheme_with_errors_is_not_saved_and_the_checks_say_why(library, english_client):
    client = english_client("alice")
    broken = library.text.replace("weight: 60", "weight: 70")
    page = client.post(reverse("scheme-edit", args=[library.pk]), {"text": broken}).content
    assert b"Not saved" in page
    assert SchemeVersion.objects.filter(code="cs-agent").count() == 1
    checks = client.post(reverse("scheme-check"), {"text": broken}).content.decode()
    assert 'data-errors="true"' in checks
    assert "110" in checks  # the weights' sum is named
    bad_yaml = client.post(reverse("scheme-check"), {"text": "id: x\nname: [\n"}).content.decode()
    assert "line 3: malformed YAML" in bad_yaml
    good = client.post(reverse("scheme-check"), {"text": library.text}).content.decode()
    assert 'data-errors="false"' in good


def test_clone_codes_are_checked(library, client_for):
    client = client_for("alice")
    for code in ("Bad Code", "cs-agent", "x"):
        client.post(reverse("scheme-clone", args=[library.pk]), {"code": code})
    assert SchemeVersion.objects.filter(code__in=["Bad Code", "x"]).count() == 0
    assert SchemeVersion.objects.filter(code="cs-agent").count() == 1


def test_position_defaults_feed_new_cycles(library, org, client_for):
    agent = org.people["ann"].position
    assert default_version(agent).code == "cs-agent"
    client_for("alice").post(reverse("scheme-defaults"), {f"position_{agent.pk}": "tech-support"})
    assert DefaultScheme.objects.get(position=agent).code == "tech-support"
    assert default_version(agent).code == "tech-support"


def test_only_hr_reaches_the_library(library, client_for):
    for key in ("ann", "mike", "eve"):
        client = client_for(key)
        assert client.get(reverse("schemes")).status_code == 403
        assert client.post(reverse("scheme-check"), {"text": "x"}).status_code == 403
        assert (
            client.post(reverse("scheme-clone", args=[library.pk]), {"code": "zz"}).status_code
            == 403
        )
