"""Who reads attrition risk, on the pages and through the API alike: HR the people in
their scope (never someone they manage), the executive viewer everyone (also their own
reports: they read as the executive); never a manager who is neither, never the person
themselves, never an employee.

eve is the executive viewer and manages dora, alice and harry; alice is HR for the whole
organisation; harry is HR for 客服中心 only (mike, lena and their teams); mike and lena
lead teams; ann, amy and bob are agents; nobody has no employee record.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from kaohe.insights.models import AttritionModel, AttritionScore
from kaohe.org.models import Employee

EVERYONE = ["E001", "D001", "M001", "L001", "A001", "A002", "B001", "H001", "H002"]
SEEN_BY = {
    "eve": set(EVERYONE) - {"E001"},
    "alice": set(EVERYONE) - {"H001"},
    "harry": {"M001", "L001", "A001", "A002", "B001"},
}
REFUSED = ["mike", "lena", "dora", "ann", "bob", "nobody"]
PAGES = ["attrition-model", "attrition-people"]


@pytest.fixture
def scored(org):
    model = AttritionModel.objects.create(
        status=AttritionModel.Status.TRAINED,
        as_of=date(2026, 9, 30),
        leavers=34,
        people=80,
        snapshots=1900,
        chosen="logistic",
    )
    for index, number in enumerate(EVERYONE):
        AttritionScore.objects.create(
            model=model,
            employee=Employee.objects.get(number=number),
            score=0.05 + index / 20,
            band="low",
            factors=[{"feature": "csat_falling_months", "value": 3.0, "contribution": 0.12,
                      "zh": "满意度连续三个月下降", "en": "CSAT fell three months running"}],
        )  # fmt: skip
    return model


def listed(client, **query):
    page = client.get(reverse("attrition-people"), query)
    assert page.status_code == 200
    return {n for n in EVERYONE if f'data-number="{n}"' in page.content.decode()}


@pytest.mark.parametrize("name", [*PAGES, "attrition-person"])
def test_anonymous_is_sent_to_sign_in(client_for, scored, name):
    url = reverse(name, args=["A001"] if name == "attrition-person" else [])
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("key", REFUSED)
def test_managers_and_employees_are_refused_everywhere(client_for, api_for, scored, key):
    client = client_for(key)
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 403, name
    # ann asking for her own risk, mike for his report's: 403 both.
    assert client.get(reverse("attrition-person", args=["A001"])).status_code == 403
    if key != "nobody":
        api = api_for(key)
        assert api.get("/api/v1/insights/attrition/scores").status_code == 403
        assert api.get("/api/v1/insights/attrition/scores/A001").status_code == 403
        assert api.get("/api/v1/insights/attrition/models").status_code == 403


@pytest.mark.parametrize("key", sorted(SEEN_BY))
def test_each_reader_lists_exactly_their_people_on_the_page_and_the_api(
    client_for, api_for, scored, key
):
    assert listed(client_for(key)) == SEEN_BY[key]
    answer = api_for(key).get("/api/v1/insights/attrition/scores", {"page_size": 50})
    assert answer.status_code == 200
    assert {row["number"] for row in answer.json()["results"]} == SEEN_BY[key]


def test_the_executive_who_is_a_manager_reads_her_reports_as_the_executive(client_for, scored):
    eve = client_for("eve")
    page = eve.get(reverse("attrition-person", args=["D001"]))  # dora reports to eve
    assert page.status_code == 200
    assert "满意度连续三个月下降" in page.content.decode()
    assert 'data-testid="never-automatic"' in page.content.decode()


def test_nobody_reads_their_own_risk(client_for, api_for, scored):
    for key, number in [("eve", "E001"), ("alice", "H001"), ("harry", "H002")]:
        assert client_for(key).get(reverse("attrition-person", args=[number])).status_code == 403
        answer = api_for(key).get(f"/api/v1/insights/attrition/scores/{number}")
        assert answer.status_code == 403


def test_scoped_hr_cannot_reach_people_outside_their_scope(client_for, api_for, scored):
    harry = client_for("harry")
    assert harry.get(reverse("attrition-person", args=["D001"])).status_code == 404
    assert harry.get(reverse("attrition-person", args=["A001"])).status_code == 200
    assert "朵拉" not in harry.get(reverse("attrition-people")).content.decode()
    assert api_for("harry").get("/api/v1/insights/attrition/scores/D001").status_code == 404


def test_hr_who_manages_someone_does_not_read_their_risk(client_for, api_for, org, scored):
    Employee.objects.filter(number="A001").update(manager=org.people["harry"])
    harry = client_for("harry")
    assert listed(harry) == SEEN_BY["harry"] - {"A001"}
    assert harry.get(reverse("attrition-person", args=["A001"])).status_code == 403
    assert api_for("harry").get("/api/v1/insights/attrition/scores/A001").status_code == 403
    # The executive still reads ann's, and alice, who manages nobody, too.
    assert client_for("eve").get(reverse("attrition-person", args=["A001"])).status_code == 200
    assert client_for("alice").get(reverse("attrition-person", args=["A001"])).status_code == 200


def test_scores_are_rounded_for_people_and_the_api_gives_reasons_in_its_language(
    client_for, api_for, scored
):
    page = client_for("alice").get(reverse("attrition-person", args=["A001"])).content.decode()
    assert "25%" in page  # 0.05 + 4/20 = 0.25, shown as a whole percent
    answer = api_for("alice").get(
        "/api/v1/insights/attrition/scores/A001", HTTP_ACCEPT_LANGUAGE="en"
    )
    body = answer.json()
    assert (body["risk_percent"], body["band"]) == (25, "low")
    assert body["reasons"] == [
        {"feature": "csat_falling_months", "text": "CSAT fell three months running"}
    ]


def test_a_newer_training_with_too_little_history_withdraws_the_scores(client_for, api_for, scored):
    AttritionModel.objects.create(
        status=AttritionModel.Status.TOO_LITTLE_HISTORY,
        as_of=date(2026, 10, 31),
        leavers=12,
        message={"zh": "历史中只有 12 名主动离职者", "en": "only 12 people resigned"},
    )
    alice = client_for("alice")
    people = alice.get(reverse("attrition-people")).content.decode()
    assert "历史中只有 12 名主动离职者" in people
    assert listed(alice) == set()
    model = alice.get(reverse("attrition-model")).content.decode()
    assert 'data-testid="no-scores"' in model
    assert api_for("alice").get("/api/v1/insights/attrition/scores").json()["count"] == 0
    assert api_for("alice").get("/api/v1/insights/attrition/scores/A001").status_code == 404


@pytest.mark.parametrize("key", ["harry", "eve", "mike"])
def test_only_whole_organisation_hr_trains_and_imports_attributes(client_for, api_for, scored, key):
    client = client_for(key)
    assert client.post(reverse("attrition-train"), {"horizon_months": 6}).status_code == 403
    assert client.get(reverse("attrition-attributes")).status_code == 403
    assert client.post(reverse("attrition-attributes-clear")).status_code == 403
    from kaohe.tokens.models import TokenScope

    api = api_for(key, TokenScope.WRITE)
    answer = api.post("/api/v1/insights/attrition/models", {}, content_type="application/json")
    assert answer.status_code == 403
    assert AttritionModel.objects.count() == 1
