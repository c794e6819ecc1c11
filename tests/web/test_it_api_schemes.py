"""``/api/v1/schemes``: the library as the pages show it to each HR admin, versions as data,
and the linter's findings for a scheme sent in."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from kaohe.core import load_text
from kaohe.schemes.library import import_builtin_schemes
from kaohe.schemes.models import SchemeVersion

USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "nobody"]


@pytest.fixture
def library(org):
    import_builtin_schemes()
    hidden = SchemeVersion.objects.get(code="admin-staff")
    owned = SchemeVersion.objects.create(
        code="hr-only", number=1, name_zh="人资方案", name_en="HR's own",
        text=hidden.text, builtin=False,
    )  # fmt: skip
    owned.departments.set([org.departments["人力资源部"]])
    return {v.code: v for v in SchemeVersion.objects.all()}


@pytest.mark.parametrize("key", USERS)
def test_the_list_holds_what_the_library_page_offers(library, org, api_for, client_for, key):
    page = client_for(key).get(reverse("schemes"))
    answer = api_for(key).get("/api/v1/schemes")
    if page.status_code == 403:
        assert answer.status_code == 403
        return
    offered = {v.code for v in library.values() if f"/schemes/{v.pk}/" in page.content.decode()}
    listed = {scheme["code"] for scheme in answer.json()}
    assert listed == offered
    assert ("hr-only" in listed) == (key == "alice")


def test_a_version_is_the_scheme_as_data(library, api_for):
    answer = api_for("harry").get("/api/v1/schemes/cs-agent/versions/1")
    assert answer.status_code == 200
    version = answer.json()
    assert version["definition"] == yaml.safe_load(library["cs-agent"].text)
    dimensions = version["definition"]["dimensions"]
    assert sum(d["weight"] for d in dimensions) == 100
    assert load_text(version["text"], display="api").name.zh == version["name_zh"]


@pytest.mark.parametrize(
    "path", ["/api/v1/schemes/hr-only/versions/1", "/api/v1/schemes/cs-agent/versions/99"]
)
def test_a_version_the_caller_may_not_use_is_not_found_like_a_missing_one(library, api_for, path):
    assert api_for("harry").get(path).status_code == 404
    assert api_for("ann").get(path).status_code == 403  # not HR at all: the library is shut


def test_lint_returns_the_findings_of_a_scheme_sent_in(library, api_for):
    api = api_for("harry")  # a read token may lint: it changes nothing
    good = api.post(
        "/api/v1/schemes/lint", library["cs-agent"].text, content_type="application/yaml"
    )
    assert good.status_code == 200
    assert good.json()["valid"] is True
    broken = library["cs-agent"].text.replace("weight: 60", "weight: 50", 1)
    bad = api.post("/api/v1/schemes/lint", broken, content_type="application/yaml")
    assert bad.json()["valid"] is False
    errors = [f for f in bad.json()["findings"] if f["severity"] == "error"]
    assert errors
    assert all(f["message"] for f in errors)


def test_lint_takes_json_too_and_words_findings_in_the_callers_language(library, api_for):
    definition = yaml.safe_load(library["cs-agent"].text)
    definition["dimensions"][0]["weight"] -= 10
    api = api_for("harry")
    english = api.post("/api/v1/schemes/lint", definition, content_type="application/json",
                       HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    chinese = api.post("/api/v1/schemes/lint", definition, content_type="application/json")
    assert english.json()["valid"] is False
    assert english.json()["findings"] != chinese.json()["findings"]
    assert any("weight" in f["message"].lower() for f in english.json()["findings"])
    assert any("权重" in f["message"] for f in chinese.json()["findings"])


def test_lint_of_text_that_is_no_scheme_says_where(library, api_for):
    answer = api_for("harry").post(
        "/api/v1/schemes/lint", "dimensions: [", content_type="text/plain"
    )
    assert answer.status_code == 200
    (finding,) = answer.json()["findings"]
    assert finding["severity"] == "error"
    assert finding["where"]
