"""The scheme linter: each finding, its severity and the indicator it names."""

from decimal import Decimal as D

import pytest

from kaohe.core import Severity, builtin_names, has_errors, lint, load_scheme

from .schemes import FIVE_LEVELS, INPUTS, SMART, load_text, one_indicator_scheme

SEED_LITERAL_TIERS = """
kind: tiers
input: rate
tiers:
  - {min: 90, points: 20}
  - {min: 85, points: 10}
  - {below: 80, points: 0}
"""


def findings_for(tmp_path, text, name="scheme.yaml"):
    """Findings, less the unused-input warnings that the shared test inputs cause."""
    return [f for f in lint(load_text(tmp_path, text, name)) if f.code != "unused-input"]


def codes(findings, severity=None):
    return [f.code for f in findings if severity is None or f.severity is severity]


def test_seed_002_literal_table_has_a_gap_named_with_both_bounds(tmp_path):
    findings = findings_for(tmp_path, one_indicator_scheme(SEED_LITERAL_TIERS))
    gaps = [f for f in findings if f.code == "tier-gap"]
    assert len(gaps) == 1
    gap = gaps[0]
    assert gap.severity is Severity.WARNING
    assert gap.indicator == "subject"
    assert "[80, 85)" in gap.message.en
    assert "from 80 to 85" in gap.message.en
    assert "< 80" in gap.message.en  # the tier the gap policy gives
    assert "从 80 到 85" in gap.message.zh
    assert not has_errors(findings)


def test_an_implied_else_tier_closes_the_gap(tmp_path):
    rule = SEED_LITERAL_TIERS.replace("{below: 80, points: 0}", "{points: 0}")
    assert findings_for(tmp_path, one_indicator_scheme(rule)) == []


def test_overlapping_tiers_are_an_error(tmp_path):
    rule = """
    kind: tiers
    input: rate
    tiers:
      - {min: 90, points: 20}
      - {min: 80, max: 95, points: 10}
      - {points: 0}
    """
    findings = findings_for(tmp_path, one_indicator_scheme(rule))
    overlap = [f for f in findings if f.code == "tier-overlap"]
    assert [f.severity for f in overlap] == [Severity.ERROR]
    assert "overlap on ≥ 90 and ≤ 95" in overlap[0].message.en


def test_tiers_that_pay_more_for_worse_values_are_not_monotone(tmp_path):
    rule = """
    kind: tiers
    input: rate
    tiers:
      - {min: 90, points: 10}
      - {min: 85, points: 20}
      - {points: 0}
    """
    findings = findings_for(tmp_path, one_indicator_scheme(rule))
    assert "tier-monotone" in codes(findings, Severity.ERROR)


def test_lower_is_better_tiers_are_checked_the_other_way(tmp_path):
    good = """
    kind: tiers
    input: hours
    direction: lower
    tiers:
      - {max: 4, points: 20}
      - {max: 8, points: 10}
      - {points: 0}
    """
    assert findings_for(tmp_path, one_indicator_scheme(good)) == []
    bad = good.replace("{max: 4, points: 20}", "{max: 4, points: 5}")
    findings = findings_for(tmp_path, one_indicator_scheme(bad, max_points=10), "bad.yaml")
    assert "tier-monotone" in codes(findings, Severity.ERROR)


def test_thresholds_out_of_order_leave_an_empty_tier(tmp_path):
    rule = """
    kind: tiers
    input: rate
    tiers:
      - {min: 85, points: 10}
      - {min: 90, points: 20}
      - {points: 0}
    """
    findings = findings_for(tmp_path, one_indicator_scheme(rule))
    assert "tier-empty" in codes(findings, Severity.ERROR)


def test_values_below_every_tier_are_reported(tmp_path):
    rule = """
    kind: tiers
    input: rate
    tiers:
      - {min: 90, points: 20}
      - {min: 80, points: 10}
    """
    findings = findings_for(tmp_path, one_indicator_scheme(rule))
    uncovered = [f for f in findings if f.code == "tier-uncovered"]
    assert len(uncovered) == 1
    assert "[0, 80)" in uncovered[0].message.en
    assert uncovered[0].severity is Severity.WARNING


def test_a_tier_outside_the_inputs_range_is_unreachable(tmp_path):
    rule = """
    kind: tiers
    input: rate
    tiers:
      - {min: 120, points: 20}
      - {points: 0}
    """
    findings = findings_for(tmp_path, one_indicator_scheme(rule))
    assert "tier-unreachable" in codes(findings, Severity.WARNING)


def test_rule_maximum_must_match_the_indicator(tmp_path):
    rule = "kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 15"
    findings = findings_for(tmp_path, one_indicator_scheme(rule, max_points=20))
    mismatch = [f for f in findings if f.code == "max-points"]
    assert [f.severity for f in mismatch] == [Severity.ERROR]
    assert mismatch[0].indicator == "subject"
    assert "at most 15 points but the indicator is worth 20" in mismatch[0].message.en


@pytest.mark.parametrize("fact", ["target", "data_source", "period"])
def test_quantitative_indicator_needs_each_smart_fact(tmp_path, fact):
    smart = "".join(line for line in SMART.splitlines(True) if f"{fact}:" not in line)
    rule = "kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 20"
    findings = findings_for(tmp_path, one_indicator_scheme(rule, smart=smart))
    smart_findings = [f for f in findings if f.code == "smart"]
    assert len(smart_findings) == 1
    assert smart_findings[0].severity is Severity.WARNING
    assert fact.replace("_", " ") in smart_findings[0].message.en


def test_a_number_without_a_unit_misses_the_smart_unit(tmp_path):
    inputs = INPUTS.replace(
        "hours: {kind: number, min: 0, unit: {zh: 小时, en: h},", "hours: {kind: number, min: 0,"
    )
    rule = "kind: linear\ninput: hours\nfloor: 8\ntarget: 2\npoints: 20"
    findings = findings_for(tmp_path, one_indicator_scheme(rule, inputs=inputs))
    assert [f.message.en for f in findings if f.code == "smart"] == [
        "a quantitative indicator without its unit (SMART)."
    ]


def test_rating_levels_need_no_smart_facts(tmp_path):
    rule = FIVE_LEVELS
    assert findings_for(tmp_path, one_indicator_scheme(rule, smart="")) == []
    worse = rule.replace("{points: 16,", "{points: 10,")
    findings = findings_for(tmp_path, one_indicator_scheme(worse, smart=""), "worse.yaml")
    assert codes(findings) == ["levels-monotone"]


def test_weights_must_sum_to_100(tmp_path):
    text = one_indicator_scheme("kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 20")
    text = text.replace("weight: 100", "weight: 95")
    findings = findings_for(tmp_path, text)
    assert codes(findings, Severity.ERROR) == ["weights"]
    assert "sum to 95" in findings[0].message.en


def test_inputs_no_rule_reads_are_reported(tmp_path):
    text = one_indicator_scheme("kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 20")
    findings = lint(load_text(tmp_path, text))
    # INPUTS declares rate, level, hours and count; only rate is scored.
    unused = sorted(f.message.en for f in findings if f.code == "unused-input")
    assert unused == [
        "the input count is read by no scoring rule.",
        "the input hours is read by no scoring rule.",
        "the input level is read by no scoring rule.",
    ]


def test_grade_bands_out_of_order_and_without_a_floor(tmp_path):
    grades = """grades:
  - {grade: A, min: 80, coefficient: 1.2, label: {zh: 优, en: Top}, actions: {zh: 奖, en: award}}
  - {grade: B, min: 85, coefficient: 1.3, label: {zh: 良, en: Good}, actions: {zh: 培, en: develop}}
"""
    text = one_indicator_scheme(
        "kind: linear\ninput: rate\nfloor: 60\ntarget: 90\npoints: 20", extra=grades
    )
    findings = findings_for(tmp_path, text)
    assert {"grades-order", "grades-floor"} <= set(codes(findings, Severity.ERROR))
    assert "grades-coefficient" in codes(findings, Severity.WARNING)


def test_errors_come_before_warnings(tmp_path):
    text = one_indicator_scheme(SEED_LITERAL_TIERS).replace("weight: 100", "weight: 90")
    severities = [f.severity for f in findings_for(tmp_path, text)]
    assert severities == sorted(severities, key=lambda s: s is not Severity.ERROR)
    assert severities[0] is Severity.ERROR


@pytest.mark.parametrize("name", builtin_names())
def test_every_built_in_template_lints_clean(name):
    scheme = load_scheme(name)
    assert [f.message.en for f in lint(scheme)] == []


def test_the_director_template_follows_seed_002_weights():
    scheme = load_scheme("cs-director")
    assert [(d.id, d.weight, d.max_points) for d in scheme.dimensions] == [
        ("capability", D(85), D(80)),
        ("attitude", D(15), D(80)),
    ]
