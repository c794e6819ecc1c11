"""One table of permissions for the pages and the API: for every API endpoint beside the page
that shows the same thing (or the form that does the same thing, for a write), ten kinds of
user get the same answer from both — let in by both, or kept out by both, for the same
reason — because both ask the same policies.

The ten: an agent, an agent of another team, their team lead, another team's lead, the
director, an executive who is also the director's manager (two roles at once), HR for the
whole organisation, HR for one centre, an account linked to nobody, and nobody signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from kaohe.appraisals.workflow import State
from kaohe.tokens.models import TokenScope

from .factory import store_metrics_for_everyone
from .test_it_appraisals import PERIOD, walk_to
from .workflow import action_forms, appraisal_of, launched_cycle, new_cycle

KINDS = ["ann", "bob", "mike", "lena", "dora", "eve", "alice", "harry", "nobody", None]


@dataclass(frozen=True)
class Pair:
    """An API address and the page showing the same, each a template over the world."""

    api: str
    page: str


PAIRS = {
    "me": Pair("/api/v1/me", "/"),
    "people": Pair("/api/v1/employees", "/people/"),
    "a person": Pair("/api/v1/employees/A001", "/people/A001/"),
    "another team's person": Pair("/api/v1/employees/B001", "/people/B001/"),
    "the director": Pair("/api/v1/employees/D001", "/people/D001/"),
    "schemes": Pair("/api/v1/schemes", "/schemes/"),
    "cycles": Pair("/api/v1/cycles", "/cycles/"),
    "the whole cycle": Pair("/api/v1/cycles/{whole}", "/cycles/{whole}/"),
    "the centre's cycle": Pair("/api/v1/cycles/{centre}", "/cycles/{centre}/"),
    "the launch": Pair("/api/v1/tasks/cycle-launch-{whole}", "/cycles/{whole}/progress/"),
    "appraisals": Pair("/api/v1/appraisals", "/appraisals/"),
    "ann's appraisal": Pair("/api/v1/appraisals/{ann}", "/appraisals/{ann}/"),
    "bob's appraisal": Pair("/api/v1/appraisals/{bob}", "/appraisals/{bob}/"),
    "dora's appraisal": Pair("/api/v1/appraisals/{dora}", "/appraisals/{dora}/"),
    "metrics": Pair(f"/api/v1/metrics?period={PERIOD}", "/data/"),
    "batches": Pair("/api/v1/data/batches", "/data/"),
    "audit": Pair("/api/v1/audit", "/audit/"),
    "calibration sessions": Pair("/api/v1/calibration/sessions", "/calibration/"),
    "the pay list": Pair("/api/v1/cycles/{whole}/pay-list", "/pay/{whole}/"),
    "development plans": Pair("/api/v1/development/plans", "/development/"),
    "the diagnosis": Pair("/api/v1/development/diagnosis", "/development/diagnosis/"),
    "promotion candidates": Pair(
        "/api/v1/development/promotion-candidates", "/development/promotion-candidates/"
    ),
    "incidents": Pair("/api/v1/incidents", "/incidents/"),
    "ann's incident": Pair("/api/v1/incidents/{incident}", "/incidents/{incident}/"),
    "1:1s": Pair("/api/v1/one-on-ones", "/incidents/one-on-ones/"),
    "ann's 1:1": Pair("/api/v1/one-on-ones/{one_on_one}", "/incidents/one-on-ones/{one_on_one}/"),
}


@pytest.fixture
def world(org):
    """A cycle over the whole 企服部 (ann's appraisal waiting on her manager's review) and
    a draft over the centre alone, with metrics stored for the period."""
    whole = launched_cycle(org, period=PERIOD)
    centre = new_cycle(
        org.users["harry"], name="中心", period="2026-Q4",
        departments=[org.departments["企服部/客服中心"]],
    )  # fmt: skip
    store_metrics_for_everyone(PERIOD, 0.9)
    ann = appraisal_of(whole, org, "ann")
    walk_to(ann, org, State.MANAGER_REVIEW)
    return {
        "whole": whole.pk,
        "centre": centre.pk,
        "ann": ann.pk,
        "bob": appraisal_of(whole, org, "bob").pk,
        "dora": appraisal_of(whole, org, "dora").pk,
        **_incident_and_one_on_one(org),
    }


def _incident_and_one_on_one(org):
    """An incident about ann and her August 1:1, both recorded by mike."""
    from datetime import date

    from kaohe.incidents.actions import (
        IncidentInput,
        OneOnOneInput,
        do_record_incident,
        do_save_one_on_one,
    )

    mike = org.users["mike"]
    made = do_record_incident(mike, "A001", IncidentInput(date(2026, 8, 3), "positive", "顶班"))
    held, _created = do_save_one_on_one(mike, "A001", OneOnOneInput("2026-08", went_well="稳"))
    return {"incident": made.pk, "one_on_one": held.pk}


def callers(org, key):
    """The page's client (signed in with a session) and the API's (a write token)."""
    from kaohe.tokens.actions import do_create_token

    page = Client()
    if key is None:
        return page, Client()
    page.force_login(org.users[key])
    secret = do_create_token(None, org.users[key], "table", TokenScope.WRITE).secret
    return page, Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def let_in(status: int) -> bool:
    return status == 200


@pytest.mark.parametrize("key", KINDS, ids=lambda k: k or "anonymous")
def test_pages_and_the_api_let_in_and_keep_out_the_same_people(org, world, key):
    page_client, api_client = callers(org, key)
    disagreements = []
    for name, pair in PAIRS.items():
        page = page_client.get(pair.page.format(**world))
        answer = api_client.get(pair.api.format(**world))
        if key is None:  # nobody signed in: the page asks to sign in, the API says 401
            assert page.status_code == 302, name
            assert "/login/" in page["Location"], name
            assert answer.status_code == 401, name
            continue
        if let_in(page.status_code) != let_in(answer.status_code):
            disagreements.append(f"{name}: page {page.status_code}, API {answer.status_code}")
        elif page.status_code != answer.status_code:
            # kept out alike, and for the same reason: a thing that exists but is hidden
            # is missing (404); a kind of thing the caller may not read at all is 403
            disagreements.append(f"{name}: page {page.status_code}, API {answer.status_code}")
    assert not disagreements, disagreements


@pytest.mark.parametrize("key", KINDS[:-1])
def test_the_api_offers_the_actions_the_page_offers(org, world, key):
    page_client, api_client = callers(org, key)
    for appraisal in ("ann", "bob", "dora"):
        page = page_client.get(f"/appraisals/{world[appraisal]}/")
        answer = api_client.get(f"/api/v1/appraisals/{world[appraisal]}/actions")
        if page.status_code != 200:
            assert answer.status_code == 404
            continue
        offered = action_forms(page.content.decode())
        assert {action["name"] for action in answer.json()} == offered, appraisal


@pytest.mark.parametrize("key", KINDS[:-1])
def test_whoever_may_not_launch_on_the_page_may_not_over_the_api(org, world, key):
    """The centre's draft: launched by the page or the API for HR of the centre (and the
    whole organisation), refused by both for everyone else."""
    page_client, api_client = callers(org, key)
    from kaohe.appraisals.models import Cycle

    page = page_client.post(f"/cycles/{world['centre']}/launch/")
    page_launched = Cycle.objects.get(pk=world["centre"]).status != Cycle.Status.DRAFT
    Cycle.objects.filter(pk=world["centre"]).update(status=Cycle.Status.DRAFT, launched_at=None)
    from kaohe.appraisals.models import Appraisal

    Appraisal.objects.filter(cycle_id=world["centre"]).delete()
    answer = api_client.post(f"/api/v1/cycles/{world['centre']}/launch")
    api_launched = answer.status_code == 202
    assert page_launched == api_launched, (page.status_code, answer.status_code)
    if not api_launched:
        assert answer.status_code in (403, 404)
    assert page_launched == (key in ("alice", "harry"))


CSV_CALL = (
    "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,wrap_seconds\n"
    "T-1,inbound,Q1,A001,K1,2026-09-01 09:00:00,2026-09-01 09:00:05,2026-09-01 09:03:00,20\n"
)
# The writes whose page is a form: the form page, and the API's request that does the same.
WRITES = {
    "a new cycle": ("/cycles/new/", "/api/v1/cycles", "application/json",
                    '{"name": "新", "period": "2026-Q4", "departments": ["企服部/客服中心"]}'),
    "a scheme checked": ("/schemes/", "/api/v1/schemes/lint", "application/yaml",
                         "name: x\n"),
    "calls imported": ("/data/", "/api/v1/data/calls", "text/csv", CSV_CALL),
    "an incident recorded": ("/incidents/new/?employee=A001", "/api/v1/incidents",
                             "application/json",
                             '{"employee": "A001", "occurred_on": "2026-08-05", '
                             '"polarity": "positive", "what": "顶班"}'),
    "a 1:1 recorded": ("/incidents/one-on-ones/new/?employee=A001&month=2026-09",
                       "/api/v1/one-on-ones", "application/json",
                       '{"employee": "A001", "month": "2026-09", "went_well": "稳"}'),
}  # fmt: skip


@pytest.mark.parametrize("key", KINDS[:-1])
def test_whoever_may_open_a_form_may_send_its_request_and_nobody_else(
    org, world, key, settings, tmp_path
):
    settings.HOME = tmp_path  # the lake of the import
    page_client, api_client = callers(org, key)
    for name, (form, address, kind, body) in WRITES.items():
        page = page_client.get(form)
        answer = api_client.post(address, body, content_type=kind)
        assert let_in(page.status_code) == (answer.status_code in (200, 201)), (
            name, page.status_code, answer.status_code, answer.content[:300])  # fmt: skip
        if not let_in(page.status_code):
            assert answer.status_code == page.status_code == 403, name
