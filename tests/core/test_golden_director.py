"""Golden tests: seed 002's tables and worked examples derived from them by hand."""

from decimal import Decimal as D

import pytest

from kaohe.core import load_scheme, score

DIRECTOR = load_scheme("cs-director")

FULL = {
    "process_completion_rate": 100,
    "info_utilization_rate": 100,
    "key_account_revisit_rate": 100,
    "csat": 100,
    "complaint_response_2h_rate": 100,
    "complaint_resolved_3wd_rate": 100,
    "complaint_resolution_rate": 100,
    "coordination": 5,
    "professionalism": 5,
    "customer_focus": 5,
    "service_detail": 5,
}


def points(indicator_id, **values):
    return score(DIRECTOR, {**FULL, **values}).indicator(indicator_id).points


# Seed 002: 流程建立完成率 90% 以上 20 分，85% 以上 10 分 (else 0); 信息利用率 the same.
@pytest.mark.parametrize(("indicator", "input_name"), [
    ("process_system", "process_completion_rate"),
    ("info_utilization", "info_utilization_rate"),
])  # fmt: skip
@pytest.mark.parametrize(
    ("value", "expected"), [(100, 20), (90, 20), ("89.99", 10), (85, 10), ("84.99", 0), (0, 0)]
)
def test_process_and_information_tiers(indicator, input_name, value, expected):
    assert points(indicator, **{input_name: value}) == expected


# 大客户回访执行率: 100% → 10, ≥ 90% → 5, below 90% → 0.
@pytest.mark.parametrize(("value", "expected"), [(100, 10), ("99.9", 5), (90, 5), ("89.9", 0)])
def test_key_account_revisit_tiers(value, expected):
    assert points("key_account_revisit", key_account_revisit_rate=value) == expected


# 客户满意度: ≥ 90 → 20, ≥ 85 → 10, ≥ 80 → 5, else 0.
@pytest.mark.parametrize(
    ("value", "expected"),
    [(90, 20), ("89.9", 10), (85, 10), ("84.9", 5), (80, 5), ("79.9", 0), (0, 0)],
)
def test_customer_satisfaction_tiers(value, expected):
    assert points("customer_satisfaction", csat=value) == expected


# 投诉处理: 2 小时响应、3 个工作日解决、解决率 100%; 任一项未达标扣 5 分 (from 10, floor 0).
@pytest.mark.parametrize(
    ("response", "resolved_3wd", "resolution", "expected"),
    [
        (100, 100, 100, 10),
        ("99.9", 100, 100, 5),
        (100, 95, 100, 5),
        (100, 100, 98, 5),
        (90, 90, 100, 0),
        (0, 0, 0, 0),
    ],
)
def test_complaint_handling_deductions(response, resolved_3wd, resolution, expected):
    result = points(
        "complaint_handling",
        complaint_response_2h_rate=response,
        complaint_resolved_3wd_rate=resolved_3wd,
        complaint_resolution_rate=resolution,
    )
    assert result == expected


@pytest.mark.parametrize(
    "item", ["coordination", "professionalism", "customer_focus", "service_detail"]
)
def test_attitude_levels_are_worth_4_8_12_16_20(item):
    assert [points(item, **{item: level}) for level in range(1, 6)] == [4, 8, 12, 16, 20]


def test_capability_totals_80_points_weighing_85_and_attitude_80_weighing_15():
    result = score(DIRECTOR, FULL, base_pay=D(15000))
    assert [(d.possible, d.score) for d in result.dimensions] == [(80, 85), (80, 15)]
    assert result.total == D("100.00")
    assert (result.grade.grade, result.coefficient, result.pay) == ("A", D("1.2"), D("18000.00"))


# Worked examples. Each dimension = weight × earned ÷ possible; total rounded half-up.
WORKED = [
    pytest.param(
        # capability 20 + 10 + 10 + 20 + 5 = 65 → 85 × 65/80 = 69.0625
        # attitude 16 + 12 + 20 + 16 = 64 → 15 × 64/80 = 12 → 81.0625 → 81.06, B, 1.0
        dict(process_completion_rate=92, info_utilization_rate=87.5,
             key_account_revisit_rate=100, csat=91, complaint_response_2h_rate=100,
             complaint_resolved_3wd_rate=96.4, complaint_resolution_rate=100,
             coordination=4, professionalism=3, customer_focus=5, service_detail=4),
        12000, "81.06", "B", "1.0", "12000.00", id="demo-B",
    ),
    pytest.param(
        # every tier at its exact lower bound: 20 + 10 + 5 + 5 + 10 = 50 → 53.125;
        # attitude all level 1: 16 → 3 → 56.125 → 56.13 (half-up, not banker's 56.12), E
        dict(process_completion_rate=90, info_utilization_rate=85,
             key_account_revisit_rate=90, csat=80, complaint_response_2h_rate=100,
             complaint_resolved_3wd_rate=100, complaint_resolution_rate=100,
             coordination=1, professionalism=1, customer_focus=1, service_detail=1),
        10000, "56.13", "E", "0", "0.00", id="bounds-E-half-up",
    ),
    pytest.param(
        # 20 + 20 + 10 + 10 + 0 (three failed checks, floored at 0) = 60 → 63.75;
        # attitude 12 × 4 = 48 → 9 → 72.75, C, 0.8 → 8000
        dict(process_completion_rate=95, info_utilization_rate=90,
             key_account_revisit_rate=100, csat=86, complaint_response_2h_rate=90,
             complaint_resolved_3wd_rate=90, complaint_resolution_rate=90,
             coordination=3, professionalism=3, customer_focus=3, service_detail=3),
        10000, "72.75", "C", "0.8", "8000.00", id="C",
    ),
    pytest.param(
        # 10 + 20 + 5 + 5 + 10 = 50 → 53.125; attitude 20 + 16 + 16 + 16 = 68 → 12.75
        # → 65.875 → 65.88, D, 0.5 → 6000
        dict(process_completion_rate=88, info_utilization_rate=91,
             key_account_revisit_rate=95, csat=84, complaint_response_2h_rate=100,
             complaint_resolved_3wd_rate=100, complaint_resolution_rate=100,
             coordination=5, professionalism=4, customer_focus=4, service_detail=4),
        12000, "65.88", "D", "0.5", "6000.00", id="D",
    ),
    pytest.param(
        # just under every bound: 10 + 0 + 5 + 0 + 5 = 20 → 21.25; attitude full 80 → 15
        # → 36.25, E
        dict(process_completion_rate=89.9, info_utilization_rate=84.9,
             key_account_revisit_rate=99, csat=79.9, complaint_response_2h_rate=100,
             complaint_resolved_3wd_rate=100, complaint_resolution_rate=98,
             coordination=5, professionalism=5, customer_focus=5, service_detail=5),
        8000, "36.25", "E", "0", "0.00", id="below-bounds-E",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("values", "base_pay", "total", "grade", "coefficient", "pay"), WORKED)
def test_worked_examples(values, base_pay, total, grade, coefficient, pay):
    result = score(DIRECTOR, values, base_pay=D(base_pay))
    assert result.total == D(total)
    assert result.grade.grade == grade
    assert result.coefficient == D(coefficient)
    assert result.pay == D(pay)


# Seed 002's grade table: A 90–100 ×1.2, B 80–90 ×1.0, C 70–79 ×0.8, D 60–69 ×0.5, E <60 ×0.
@pytest.mark.parametrize(
    ("total", "grade", "coefficient", "actions"),
    [
        ("100", "A", "1.2", "Promotion candidate / special award"),
        ("90", "A", "1.2", "Promotion candidate / special award"),
        ("89.99", "B", "1.0", "Key development / potential development"),
        ("80", "B", "1.0", "Key development / potential development"),
        ("79.99", "C", "0.8", "Capability plan"),
        ("70", "C", "0.8", "Capability plan"),
        ("69.99", "D", "0.5", "Performance improvement plan (PIP)"),
        ("60", "D", "0.5", "Performance improvement plan (PIP)"),
        ("59.99", "E", "0", "Role change / exit"),
        ("0", "E", "0", "Role change / exit"),
    ],
)
def test_grade_table(total, grade, coefficient, actions):
    band = DIRECTOR.grades.grade_for(D(total))
    assert (band.grade, band.coefficient, band.actions.en) == (grade, D(coefficient), actions)
    assert DIRECTOR.grades.pay(band, D(10000)) == D(10000) * D(coefficient)


def test_a_missing_value_holds_the_result_and_names_the_indicator():
    values = {k: v for k, v in FULL.items() if k != "csat"}
    result = score(DIRECTOR, values, base_pay=D(10000))
    assert result.total is None
    assert result.grade is None
    assert result.pay is None
    assert result.blocked_by == ("customer_satisfaction",)
    blocked = result.indicator("customer_satisfaction")
    assert blocked.points is None
    assert "holds the result" in blocked.explanation().en
    # The other indicators are still scored and explained.
    assert result.indicator("process_system").points == 20


def test_the_template_notes_say_customer_referrals_are_left_out():
    assert "referral" in DIRECTOR.notes.en
    assert "转介绍" in DIRECTOR.notes.zh
    ids = [i.id for i in DIRECTOR.indicators()]
    assert not any("referral" in i for i in ids)
