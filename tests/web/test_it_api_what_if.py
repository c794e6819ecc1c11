"""``/api/v1/insights/what-if``: the same figures as the page, people a page at a time, the
saved runs — HR only, over their scope, and nothing written but the saved runs."""

import pytest

from kaohe.appraisals.models import Appraisal, Result
from kaohe.audit.models import AuditEntry
from kaohe.insights.models import SavedWhatIf
from kaohe.tokens.models import TokenScope
from tests.web.test_it_scores_a_what_if import everything
from tests.web.whatif_data import agent_version, build_cycle, changed_text

URL = "/api/v1/insights/what-if"


@pytest.fixture
def cycle(org):
    return build_cycle(org)


@pytest.fixture
def text(cycle):
    return changed_text(agent_version(cycle), everything)


def ask(client, cycle, text, query="", **body):
    return client.post(
        f"{URL}{query}", {"cycle": cycle.pk, "scheme": "cs-agent", "text": text, **body},
        content_type="application/json",
    )  # fmt: skip


def test_hr_gets_the_figures_and_a_page_of_people(org, cycle, text, api_for):
    answer = ask(api_for("alice"), cycle, text, "?page_size=2&sort=change&descending=true")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["scheme"] == str(agent_version(cycle))
    summary = data["summary"]
    assert (summary["changed"], summary["up"], summary["down"], summary["unscored"]) == (5, 0, 2, 1)
    assert summary["steps"] == [{"grades": -1, "people": 2}]
    assert summary["total"]["department"] is None
    assert summary["total"]["old"] == "10460.25"
    assert summary["total"]["new"] == "7900.25"
    people = data["people"]
    assert (people["count"], people["pages"], len(people["results"])) == (5, 3, 2)
    first = people["results"][0]
    assert first["number"] == "B001"
    assert first["new"]["pay"] == "4200.00"
    assert first["movement"] == "same"
    assert first["locked"] is True


def test_the_people_filter_and_the_scheme_by_position(org, cycle, text, api_for):
    client = api_for("alice")
    down = ask(client, cycle, text, "?movement=down").json()["people"]["results"]
    assert {p["number"] for p in down} == {"A001", "M001"}
    by_position = ask(client, cycle, text, scheme="", position="客服专员").json()
    assert by_position["scheme"] == str(agent_version(cycle))
    everyone = ask(client, cycle, text, "?everyone=true").json()["people"]["count"]
    assert everyone == 6  # and dora, under the director's scheme


@pytest.mark.parametrize("key", ["ann", "mike", "dora", "eve", "nobody"])
def test_nobody_but_hr_may_ask(org, cycle, text, api_for, key):
    assert ask(api_for(key), cycle, text).status_code == 403
    assert api_for(key).get(f"{URL}/saved").status_code == 403


def test_without_a_token_the_answer_is_401(org, cycle, text, client):
    assert ask(client, cycle, text).status_code == 401


def test_a_read_token_may_ask_but_not_save(org, cycle, text, api_for):
    reader = api_for("alice", TokenScope.READ)
    assert ask(reader, cycle, text).status_code == 200
    saved = reader.post(f"{URL}/saved", {"cycle": cycle.pk, "scheme": "cs-agent", "text": text,
                                         "name": "x"}, content_type="application/json")  # fmt: skip
    assert saved.status_code == 403


def test_scoped_hr_reads_their_scope_only(org, cycle, text, api_for):
    data = ask(api_for("harry"), cycle, text, "?everyone=true").json()
    assert data["people"]["count"] == 5  # not dora
    assert {d["department"] for d in data["summary"]["departments"]} == {"客服一组", "客服二组"}


def test_refusals_name_the_field_and_the_reason(org, cycle, api_for):
    client = api_for("alice")
    version = agent_version(cycle)
    broken = ask(client, cycle, version.text.replace("weight: 60", "weight: 90"))
    assert broken.status_code == 422
    assert broken.json()["errors"][0]["field"] == "text"
    unknown = ask(client, cycle, version.text, scheme="no-such-scheme")
    assert unknown.status_code == 422
    assert "cs-agent" in unknown.json()["detail"]
    missing = client.post(URL, {"cycle": 999_999, "scheme": "cs-agent", "text": version.text},
                          content_type="application/json")  # fmt: skip
    assert missing.status_code == 422  # a body field: the document promises no 404 here
    assert missing.json()["errors"][0]["field"] == "cycle"


def test_saving_listing_reading_exporting_and_deleting(org, cycle, text, api_for):
    writer = api_for("alice", TokenScope.WRITE)
    before = (Appraisal.objects.count(), Result.objects.count())
    body = {"cycle": cycle.pk, "scheme": "cs-agent", "text": text, "name": "API 试算"}
    made = writer.post(f"{URL}/saved", body, content_type="application/json")
    assert made.status_code == 201, made.content
    saved = made.json()
    assert saved["summary"]["down"] == 2
    assert saved["text"] == text
    listed = writer.get(f"{URL}/saved").json()
    assert [r["name"] for r in listed["results"]] == ["API 试算"]
    again = writer.get(f"{URL}/saved/{saved['id']}?movement=down").json()
    assert again["saved"]["id"] == saved["id"]
    assert again["people"]["count"] == 2
    xlsx = writer.get(f"{URL}/saved/{saved['id']}.xlsx?lang=en")
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd")
    assert writer.get(f"{URL}/saved/{saved['id']}.csv").content.startswith(b"\xef\xbb\xbf")
    assert api_for("harry").get(f"{URL}/saved/{saved['id']}").status_code == 404
    gone = writer.delete(f"{URL}/saved/{saved['id']}")
    assert gone.json() == {"id": saved["id"], "deleted": True}
    assert writer.get(f"{URL}/saved/{saved['id']}").status_code == 404
    assert not SavedWhatIf.objects.exists()
    assert (Appraisal.objects.count(), Result.objects.count()) == before
    actions = list(AuditEntry.objects.filter(action__startswith="insights.").order_by("pk")
                   .values_list("action", "via_token"))  # fmt: skip
    assert actions == [
        ("insights.whatif_save", "test"),
        ("insights.whatif_export", "test"),
        ("insights.whatif_export", "test"),
        ("insights.whatif_delete", "test"),
    ]
