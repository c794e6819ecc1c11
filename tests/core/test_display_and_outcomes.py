"""Values rounded for people, whose figure a metric is, moved totals, partial scores and
the one serialisation of a result."""

import json
from decimal import Decimal as D

import pytest

from kaohe.core import (
    DEFAULT_GRADES,
    Duration,
    InputKind,
    InputSpec,
    MetricKey,
    MetricKeyError,
    MetricScope,
    Text,
    convert,
    fmt_near,
    load_scheme,
    result_data,
    score,
)

RATE = InputSpec("answer_rate", InputKind.PERCENT, Text("接通率", "Answer rate"))


@pytest.mark.parametrize(
    ("value", "shown"),
    [(D("93.13719062448779"), "93.1%"), (D(92), "92%"), (D("99.96"), "100%"), (D(0), "0%")],
)
def test_rates_show_one_decimal(value, shown):
    assert RATE.show(value).zh == shown


def test_a_value_never_reads_as_a_limit_it_does_not_reach():
    assert RATE.show(D("91.96"), boundaries=[D(92)]).en == "91.96%"
    assert RATE.show(D("91.99996"), boundaries=[D(92)]).en == "91.9999%"
    assert RATE.show(D(92), boundaries=[D(92)]).en == "92%"
    assert fmt_near(D("14.461538461538448"), 2) == "14.46"


def test_a_tier_explanation_keeps_the_value_below_the_limit_readable():
    scheme = load_scheme("cs-agent")
    values = dict.fromkeys(scheme.inputs) | {"answer_rate": "91.96"}
    explanation = score(scheme, values).indicator("answer_rate").explanation()
    assert explanation.zh.startswith("接通率 91.96%：")


def test_counts_and_levels_are_whole_and_numbers_two_decimals():
    count = InputSpec("n", InputKind.COUNT, Text("次数", "count"), unit=Text("次", "times"))
    assert count.show(D(3)).zh == "3 次"
    number = InputSpec("x", InputKind.NUMBER, Text("x", "x"))
    assert number.show(D("7.254")).en == "7.25"


def test_durations_convert_exactly():
    assert convert(D(450), Duration.SECONDS, Duration.MINUTES) == D("7.5")
    assert convert(D("1.5"), Duration.HOURS, Duration.MINUTES) == D(90)
    assert Duration.of_metric("avg_talk_seconds") is Duration.SECONDS
    assert Duration.of_metric("repair_hours") is Duration.HOURS
    assert Duration.of_metric("fcr_rate") is None


def test_an_input_in_free_units_takes_the_metric_as_it_is():
    spec = load_scheme("tech-support").inputs
    hours = next(s for s in spec.values() if s.metric and str(s.metric) == "repair_hours")
    assert hours.from_metric(D("4.25")) == D("4.25")


@pytest.mark.parametrize(
    ("text", "scope", "subject_type"),
    [
        ("fcr_rate", MetricScope.OWN, "employee"),
        ("queues:answer_rate", MetricScope.QUEUES, "agent_queues"),
        ("org:answer_rate", MetricScope.ORG, "org"),
    ],
)
def test_a_metric_key_says_whose_figure_it_is(text, scope, subject_type):
    key = MetricKey.parse(text)
    assert key.scope is scope
    assert key.subject_type == subject_type
    assert str(key) == text
    assert key.subject("A001") == ("org" if scope is MetricScope.ORG else "A001")


@pytest.mark.parametrize("text", ["team:answer_rate", "org:", "answer rate", "a:b:c"])
def test_a_malformed_metric_key_is_refused(text):
    with pytest.raises(MetricKeyError):
        MetricKey.parse(text)


def test_the_org_label_names_the_whole_centre():
    assert MetricScope.ORG.label.zh == "客服中心整体"


@pytest.mark.parametrize(
    ("total", "adjustment", "expected", "grade", "pay"),
    [
        (D("78.4"), D(2), D("80.40"), "B", D("5000.00")),
        (D("95"), D(10), D("100.00"), "A", D("6000.00")),  # clamped at 100
        (D("5"), D(-10), D("0.00"), "E", D("0.00")),  # clamped at 0
        (D("89.995"), D(0), D("90.00"), "A", D("6000.00")),  # rounded half-up, then graded
    ],
)
def test_a_moved_total_is_clamped_rounded_graded_and_paid(total, adjustment, expected, grade, pay):
    outcome = DEFAULT_GRADES.outcome(total, D(5000), adjustment)
    assert (outcome.total, outcome.grade.grade, outcome.pay) == (expected, grade, pay)
    assert outcome.adjustment == adjustment


@pytest.mark.parametrize(
    ("total", "adjustment", "grade", "expected"),
    [
        (D("84.37"), D(0), "A", D("5.63")),  # up to A's minimum, 90
        (D("84.37"), D(0), "C", D("-4.38")),  # down to a cent below B's minimum, 79.99
        (D("84.37"), D("-1"), "B", D("-1")),  # already B after its move: kept
        (D("84.37"), D("-10"), "B", D("-4.37")),  # moved to C before; back up to 80
        (D("95"), D(0), "E", D("-35.01")),  # the worst grade: below D's 60
    ],
)
def test_a_target_grade_is_reached_with_the_least_change(total, adjustment, grade, expected):
    found = DEFAULT_GRADES.adjustment_into(grade, total, adjustment)
    assert found == expected
    assert DEFAULT_GRADES.outcome(total, None, found).grade.grade == grade


def test_an_outcome_without_base_pay_has_no_pay():
    assert DEFAULT_GRADES.outcome(D(70), None).pay is None


def test_a_partial_score_counts_what_has_a_value():
    scheme = load_scheme("cs-agent")
    values = dict.fromkeys(scheme.inputs)
    values.update(answer_rate=93, csat_rate=95)  # 20 + 30 of performance's 100 points
    result = score(scheme, values)
    assert result.total is None
    # performance 60 × 50/100 = 30; capability and attitude have nothing: 0 of 40.
    assert result.secured == D("30.00")
    assert "qa_pass_rate" in result.missing_inputs
    assert "answer_rate" not in result.missing_inputs


def test_a_complete_score_has_no_partial_figure():
    scheme = load_scheme("cs-director")
    from tests.core.test_golden_templates import DIRECTOR_VALUES

    result = score(scheme, DIRECTOR_VALUES)
    assert result.total is not None
    assert result.secured is None
    assert result.missing_inputs == ()


def test_the_serialisation_keeps_full_precision_and_both_languages():
    scheme = load_scheme("cs-agent")
    from tests.core.test_golden_templates import CS_AGENT

    result = score(scheme, CS_AGENT, base_pay=D(8000))
    data = json.loads(json.dumps(result_data(result)))
    assert data["total"] == "77.56"
    assert data["grade"] == "C"
    assert data["pay"] == "6400.00"
    csat = next(i for i in data["indicators"] if i["id"] == "csat")
    assert D(csat["points"]) == D("21.6")
    assert csat["explanation"]["zh"].startswith("客户满意率 88%")
    performance = data["dimensions"][0]
    assert (D(performance["earned"]), D(performance["possible"])) == (D("77.6"), D(100))
    in_english = result_data(result, "en")
    assert in_english["grade_label"] == "Fair"
