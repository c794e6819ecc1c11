"""``POST /api/v1/schemes/preview``: the scheme form's preview for integrators, the core's
score of the values sent, only for those who open the scheme library."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from kaohe.core import load_text, score
from kaohe.schemes.form.preview import sample_values
from kaohe.schemes.library import import_builtin_schemes
from kaohe.schemes.models import SchemeVersion

URL = "/api/v1/schemes/preview"


@pytest.fixture
def agent_text(org):
    import_builtin_schemes()
    return SchemeVersion.objects.get(code="cs-agent", builtin=True).text


def preview(client, body, lang="en"):
    return client.post(
        URL, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=lang
    )


def test_the_answer_is_the_core_scoring_the_values_sent(agent_text, api_for):
    answer = preview(api_for("alice"), {"text": agent_text, "values": {"answer_rate": 91}})
    assert answer.status_code == 200
    data = answer.json()
    scheme = load_text(agent_text)
    values = {**sample_values(scheme), "answer_rate": "91"}
    expected = score(scheme, values)
    assert data["valid"] is True
    assert data["values"] == values
    assert Decimal(data["result"]["total"]) == expected.total
    assert data["result"]["grade"] == expected.grade.grade
    points = {i["id"]: i["points"] for i in data["result"]["indicators"]}
    assert Decimal(points["answer_rate"]) == Decimal(14)


def test_findings_come_back_in_the_reader_language(agent_text, api_for):
    broken = agent_text.replace("weight: 60", "weight: 70", 1)
    data = preview(api_for("alice"), {"text": broken}, lang="zh-hans").json()
    assert data["valid"] is False
    assert any("合计为 110" in f["message"] for f in data["findings"])
    assert data["result"] is not None  # it loads, so the sample person is still scored


def test_a_value_out_of_range_is_refused_naming_the_input(agent_text, api_for):
    answer = preview(api_for("alice"), {"text": agent_text, "values": {"answer_rate": 120}})
    assert answer.status_code == 400
    assert "answer_rate" in answer.json()["detail"]
    answer = preview(api_for("alice"), {"text": agent_text, "values": {"bogus": 1}})
    assert answer.status_code == 400
    assert "bogus" in answer.json()["detail"]


def test_text_that_does_not_load_has_no_result(org, api_for):
    data = preview(api_for("harry"), {"text": "name: [unclosed"}).json()
    assert data["valid"] is False
    assert data["result"] is None


@pytest.mark.parametrize("key", ["ann", "mike", "dora", "eve", "nobody"])
def test_only_hr_may_call_it(agent_text, api_for, key):
    assert preview(api_for(key), {"text": agent_text}).status_code == 403
