"""The Call sentiment page and its API: the transcribed calls QA picks for review, of the
agents the reader may see — an agent their own, a manager their reports', scoped HR their
departments', whole-organisation HR and the executive viewer every call — chosen, sorted,
filtered, paginated and exported. The calls are those of ``sentiment_data``: c1 and c2
ann's, c3 amy's (team 客服一组, under mike), c4 bob's (客服二组, under lena), c5 an agent
kaohe does not know."""

import csv
import io
import re

import pytest
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.data import services
from kaohe.insights import views_sentiment
from kaohe.org.models import Department, Employee, Position, RoleFamily

from .sentiment_data import with_metrics

EVERY_CALL = {"c1", "c2", "c3", "c4", "c5"}
SEEN_BY = {
    "ann": {"c1", "c2"},
    "amy": {"c3"},
    "bob": {"c4"},
    "mike": {"c1", "c2", "c3"},
    "lena": {"c4"},
    "dora": {"c1", "c2", "c3", "c4"},
    "harry": {"c1", "c2", "c3", "c4"},  # HR for 客服中心: not the call of an unknown agent
    "alice": EVERY_CALL,
    "eve": EVERY_CALL,  # the executive viewer, also dora's manager
}


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path / "home"


@pytest.fixture
def calls(org, tmp_path):
    with_metrics(org.users["alice"], tmp_path / "files")


def listed(page):
    return re.findall(r'<tr data-call="([^"]+)">', page)


def page_of(client, **query):
    response = client.get(reverse("sentiment-calls"), query)
    assert response.status_code == 200
    return response.content.decode()


def api_calls(client, **query):
    response = client.get("/api/v1/insights/sentiment/calls", query)
    assert response.status_code == 200, response.content
    return response.json()


# --- who reads which calls ---------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client_for):
    response = client_for(None).get(reverse("sentiment-calls"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client_for(None).get(reverse("sentiment-calls-export")).status_code == 302


@pytest.mark.parametrize("key", sorted(SEEN_BY))
def test_each_reader_sees_the_calls_of_the_people_they_may_see(page_for, api_for, calls, key):
    assert set(listed(page_of(page_for(key), filter="all"))) == SEEN_BY[key]
    answer = api_calls(api_for(key), filter="all")
    assert {row["call_id"] for row in answer["results"]} == SEEN_BY[key]
    assert answer["period"] == "2026-Q3"


def test_roles_add_up_for_hr_who_is_also_a_manager(page_for, api_for, org, calls):
    """mike manages 客服一组 and is made HR for 客服二组: his reports' calls and bob's, not
    the call of an agent kaohe does not know."""
    from kaohe.org.models import AccessGrant, GrantRole

    grant = AccessGrant.objects.create(user=org.users["mike"], role=GrantRole.HR_ADMIN)
    grant.departments.add(org.departments["企服部/客服中心/客服二组"])
    expected = {"c1", "c2", "c3", "c4"}
    assert set(listed(page_of(page_for("mike"), filter="all"))) == expected
    assert {r["call_id"] for r in api_calls(api_for("mike"), filter="all")["results"]} == expected


def test_an_agent_asking_for_a_colleague_gets_nothing(page_for, api_for, calls):
    assert listed(page_of(page_for("amy"), filter="all", agent="A001")) == []
    assert api_calls(api_for("amy"), filter="all", agent="A001")["results"] == []
    assert listed(page_of(page_for("mike"), filter="all", agent="B001")) == []


def test_who_takes_no_calls_and_manages_nobody_may_not_open_it(client_for, org, api_for):
    """An administration clerk: an employee, but no agent, no manager, no HR."""
    Employee.objects.create(
        number="C001", name="文员", department=Department.objects.get(path="人力资源部"),
        position=Position.objects.create(name="行政专员", family=RoleFamily.ADMINISTRATION),
        user=org.users["nobody"],
    )  # fmt: skip
    client = client_for("nobody")
    assert client.get(reverse("sentiment-calls")).status_code == 403
    assert client.get(reverse("sentiment-calls-export")).status_code == 403
    assert 'data-nav="insights"' not in client.get(reverse("home")).content.decode()
    assert api_for("nobody").get("/api/v1/insights/sentiment/calls").status_code == 403


def test_an_account_without_a_person_may_not_open_it(client_for, api_for):
    assert client_for("nobody").get(reverse("sentiment-calls")).status_code == 403
    assert api_for("nobody").get("/api/v1/insights/sentiment/calls").status_code == 403


def test_the_api_wants_a_token_or_a_session(client):
    assert client.get("/api/v1/insights/sentiment/calls").status_code == 401


# --- choosing and sorting --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"c1", "c4", "c5"}),  # by default: ended negative
        ({"filter": "not_recovered"}, {"c1", "c4"}),  # c5 has one customer turn
        ({"filter": "recovered"}, {"c2"}),
        ({"filter": "all", "queue": "Q2"}, {"c4", "c5"}),
        ({"filter": "all", "agent": "A001"}, {"c1", "c2"}),
        ({"queue": "Q1", "agent": "A002"}, set()),
    ],
)
def test_the_filters_choose_the_calls(page_for, api_for, calls, query, expected):
    assert set(listed(page_of(page_for("alice"), **query))) == expected
    assert {row["call_id"] for row in api_calls(api_for("alice"), **query)["results"]} == expected


def test_the_calls_sort_by_the_lowest_point_first_or_by_any_column(page_for, api_for, calls):
    rows = api_calls(api_for("alice"), filter="all")["results"]
    lowest = [row["customer_lowest"] for row in rows]
    assert lowest == sorted(lowest)
    assert rows[-1]["call_id"] == "c3"  # the pleased customer's lowest is still high
    newest_first = api_calls(api_for("alice"), filter="all", sort="time", descending=True)
    assert [row["call_id"] for row in newest_first["results"]] == ["c5", "c4", "c3", "c2", "c1"]
    page = page_of(page_for("alice"), filter="all", sort="time", dir="desc")
    assert listed(page) == ["c5", "c4", "c3", "c2", "c1"]
    assert 'aria-sort="descending"' in page
    by_agent = api_calls(api_for("alice"), filter="all", sort="agent_mean")["results"]
    assert by_agent[-1]["call_id"] == "c5"  # no agent turn: no mean, last


def test_each_row_gives_the_figures_rounded_and_says_how_the_call_went(page_for, calls):
    page = page_of(page_for("alice"), filter="all", sort="time")
    row = re.search(r'<tr data-call="c2">(.*?)</tr>', page, re.S).group(1)
    cells = [
        " ".join(re.sub(r"<[^>]+>", " ", c).split())
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    ]
    call, agent, queue, time, start, end, lowest, agent_mean, went = cells
    assert (call, agent, queue, time) == ("c2", "安妮 A001", "Q1", "2026-09-03 09:02")
    assert re.fullmatch(r"0\.\d\d", start)
    assert float(start) < 0.2
    assert float(end) > 0.8
    assert lowest == start
    assert re.fullmatch(r"[01]\.\d\d", agent_mean)
    assert went == "recovered"
    unknown = re.search(r'<tr data-call="c5">(.*?)</tr>', page, re.S).group(1)
    assert "ZZZ" in unknown
    assert "ended negative" in unknown
    assert "below 0.50 is negative" in page


def test_the_api_gives_full_precision_and_the_threshold(api_for, calls, settings):
    answer = api_calls(api_for("alice"), filter="recovered")
    (row,) = answer["results"]
    assert row["agent"] == "A001"
    assert row["agent_name"] == "安妮"
    assert row["customer_turns"] == 2
    assert row["started_negative"] is True
    assert row["ended_negative"] is False
    assert row["recovered"] is True
    assert row["customer_start"] < 0.2 < 0.8 < row["customer_end"]
    assert answer["threshold"] == 0.5
    settings.SENTIMENT_THRESHOLD = 0.9999  # a pleased but not certain turn is negative now
    assert api_calls(api_for("alice"), filter="all")["threshold"] == 0.9999


def test_the_page_and_the_api_paginate(page_for, api_for, calls, monkeypatch):
    first = api_calls(api_for("alice"), filter="all", page_size=2)
    assert (first["count"], first["pages"], len(first["results"])) == (5, 3, 2)
    last = api_calls(api_for("alice"), filter="all", page_size=2, page=3)
    assert len(last["results"]) == 1
    monkeypatch.setattr(views_sentiment, "PAGE", 2)
    page = page_of(page_for("alice"), filter="all", sort="time", page=2)
    assert listed(page) == ["c3", "c4"]
    assert "Page 2 of 3" in page
    assert "filter=all&amp;sort=time&amp;page=3" in page  # the choices go with the pages


def test_the_latest_period_with_calls_is_the_default(page_for, api_for, calls):
    services.store_metrics("2026-09")
    page = page_of(page_for("alice"))
    assert re.search(r'<option value="2026-09" selected>', page)
    assert '<option value="2026-Q3">' in page
    assert api_calls(api_for("alice"))["period"] == "2026-09"
    assert listed(page_of(page_for("alice"), period="2026-08", filter="all")) == []


def test_a_period_that_does_not_exist_is_refused_with_the_reason(page_for, api_for, calls):
    page = page_of(page_for("alice"), period="2026-13")
    assert 'data-testid="problem"' in page
    assert "period &#x27;2026-13&#x27;: use a month (2026-09)" in page
    assert set(listed(page)) == {"c1", "c4", "c5"}  # the latest period instead
    refused = api_for("alice").get("/api/v1/insights/sentiment/calls", {"period": "2026-13"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "period"
    wrong = api_for("alice").get("/api/v1/insights/sentiment/calls", {"filter": "worst"})
    assert wrong.status_code == 422


def test_before_any_transcript_the_page_says_so(page_for, api_for, org):
    page = page_of(page_for("alice"))
    assert 'data-testid="no-calls"' in page
    assert 'data-testid="export"' not in page
    answer = api_calls(api_for("alice"))
    assert (answer["period"], answer["count"]) == (None, 0)


def test_htmx_gets_the_results_alone(page_for, calls):
    response = page_for("alice").get(
        reverse("sentiment-calls"), {"filter": "all"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "<html" not in html
    assert set(listed(html)) == EVERY_CALL


def test_the_page_speaks_chinese_by_default(client_for, calls):
    page = page_of(client_for("mike"), filter="all")
    assert "<h1>通话情绪</h1>" in page
    assert "2026-Q3 共 3 通通话" in page
    assert "已挽回" in page


# --- the export --------------------------------------------------------------------------


def exported(client, **query):
    response = client.get(reverse("sentiment-calls-export"), query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(text[1:])))


def test_the_export_holds_every_chosen_call_the_reader_may_see(page_for, org, calls, monkeypatch):
    monkeypatch.setattr(views_sentiment, "PAGE", 1)  # a page, not the export, is cut
    response, rows = exported(page_for("mike"), filter="all", sort="time")
    assert rows[0][:5] == ["Call", "Employee number", "Agent", "Queue", "Time"]
    assert [row[0] for row in rows[1:]] == ["c1", "c2", "c3"]
    c2 = dict(zip(rows[0], rows[2], strict=True))
    assert (c2["Agent"], c2["Queue"], c2["Recovered"], c2["Ended negative"]) == (
        "安妮",
        "Q1",
        "yes",
        "no",
    )
    assert re.fullmatch(r"0\.\d\d", c2["Customer at the start"])
    assert 'filename="call-sentiment-2026-Q3.csv"' in response["Content-Disposition"]
    entry = AuditEntry.objects.get(action="sentiment.export")
    assert entry.actor == org.users["mike"]
    assert entry.after == {"period": "2026-Q3", "filter": "all", "agent": "", "queue": "",
                           "rows": 3, "language": "en"}  # fmt: skip


def test_the_export_is_in_the_readers_language(client_for, calls):
    response, rows = exported(client_for("amy"), filter="all")
    assert rows[0][:3] == ["通话", "工号", "坐席"]
    assert [row[0] for row in rows[1:]] == ["c3"]
    assert (
        "filename*=UTF-8''%E9%80%9A%E8%AF%9D%E6%83%85%E7%BB%AA-2026-Q3.csv"
        in (response["Content-Disposition"])
    )


def test_an_export_of_a_period_that_does_not_exist_is_refused(page_for, calls):
    response = page_for("alice").get(reverse("sentiment-calls-export"), {"period": "soon"})
    assert response.status_code == 400
    assert not AuditEntry.objects.filter(action="sentiment.export").exists()


def test_the_export_is_read_out_in_the_audit_log(page_for, calls):
    exported(page_for("alice"), filter="recovered")
    log = page_for("alice").get(reverse("audit-log")).content.decode()
    assert "Call sentiment exported" in log
    assert "Recovered" in log


# --- the Insights page -------------------------------------------------------------------


@pytest.mark.parametrize(("key", "count"), [("mike", 1), ("alice", 3), ("amy", 0)])
def test_the_insights_page_counts_the_readers_calls_that_ended_negative(
    page_for, calls, key, count
):
    page = page_for(key).get(reverse("insights")).content.decode()
    assert 'data-section="sentiment"' in page
    word = "call" if count == 1 else "calls"
    assert f"{count} {word} ended negative in 2026-Q3" in page
