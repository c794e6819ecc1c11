"""``/api/v1/employees``: the same people as the People pages, paginated, and 404 alike for
a person who does not exist and one outside the caller's scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kaohe.org.models import Employee
from kaohe.org.policy import Access

USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "amy", "bob", "lena", "nobody"]


def every_number(client, **filters):
    numbers, page = [], 1
    while True:
        answer = client.get("/api/v1/employees", {**filters, "page": page, "page_size": 2})
        assert answer.status_code == 200, answer.content
        body = answer.json()
        numbers += [person["number"] for person in body["results"]]
        if page >= body["pages"]:
            assert len(numbers) == body["count"]
            return numbers
        page += 1


@pytest.mark.parametrize("key", USERS)
def test_the_list_answers_as_the_people_page_does(org, api_for, client_for, key):
    page = client_for(key).get(reverse("people"), {"status": "all"})
    answer = api_for(key).get("/api/v1/employees", {"status": "all"})
    if page.status_code == 403:
        assert answer.status_code == 403
        assert answer["Content-Type"] == "application/problem+json"
        return
    assert page.status_code == 200
    expected = sorted(e.number for e in Access(org.users[key]).visible_employees())
    assert sorted(every_number(api_for(key), status="all")) == expected


@pytest.mark.parametrize("key", USERS)
def test_one_person_answers_as_their_page_does_and_hides_who_exists(org, api_for, client_for, key):
    """An account linked to nobody opens no person's page (403, whoever is asked for); for
    everyone else, a person they may not see is answered as one who does not exist."""
    api = api_for(key)
    missing = api.get("/api/v1/employees/NO-SUCH-ONE")
    assert missing.status_code == (403 if key == "nobody" else 404)
    for employee in Employee.objects.all():
        answer = api.get(f"/api/v1/employees/{employee.number}")
        page = client_for(key).get(reverse("person", args=[employee.number]))
        if page.status_code == 200:
            assert answer.status_code == 200
            assert answer.json()["name"] == employee.name
        else:
            assert answer.status_code == page.status_code == missing.status_code
            assert answer.json()["detail"] == missing.json()["detail"]


def test_pages_filters_and_limits(org, api_for):
    api = api_for("alice")
    everyone = api.get("/api/v1/employees", {"page_size": 500}).json()
    assert everyone["count"] == Employee.objects.filter(active=True).count()
    assert everyone["pages"] == 1
    centre = every_number(api, department="企服部/客服中心")
    assert centre
    assert all(
        Employee.objects.get(number=n).department.path.startswith("企服部/客服中心") for n in centre
    )
    assert every_number(api, q="A001") == ["A001"]
    past_the_end = api.get("/api/v1/employees", {"page": 99}).json()
    assert past_the_end["results"] == []
    assert past_the_end["count"] == everyone["count"]


@pytest.mark.parametrize(
    ("query", "field"), [({"page_size": 501}, "page_size"), ({"page": 0}, "page")]
)
def test_a_bad_page_is_a_problem_naming_the_field(org, api_for, query, field):
    answer = api_for("alice").get("/api/v1/employees", query)
    assert answer.status_code == 422
    assert answer["Content-Type"] == "application/problem+json"
    (error,) = answer.json()["errors"]
    assert error["field"] == field
    assert error["in"] == "query"
    assert error["reason"]


def test_the_openapi_document_describes_the_people_endpoints(org, client_for):
    schema = client_for("alice").get("/api/v1/openapi.json").json()
    listing = schema["paths"]["/api/v1/employees"]["get"]
    assert listing["summary"]
    assert {p["name"] for p in listing["parameters"]} >= {
        "page",
        "page_size",
        "q",
        "department",
        "status",
    }
    page = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"][page.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"count", "page", "page_size", "pages", "results"}
    assert "/api/v1/employees/{number}" in schema["paths"]


def test_a_refusal_says_why_in_the_callers_language(org, api_for):
    chinese = api_for("ann").get("/api/v1/employees")
    english = api_for("ann").get("/api/v1/employees", HTTP_ACCEPT_LANGUAGE="en")
    assert chinese.status_code == english.status_code == 403
    assert chinese.json()["detail"] == "只有 HR 和高管查看者可以列出人员。"
    assert english.json()["detail"] == "Only HR and executive viewers list people."
