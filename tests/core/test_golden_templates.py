"""Golden tests for seed 000's role schemes and the director's stage variants.

Each example is worked by hand in its comment, from the thresholds in the template notes.
"""

from decimal import Decimal as D

import pytest

from kaohe.core import builtin_names, load_scheme, score

CS_AGENT = dict(
    answer_rate=93,  # ≥ 92 → 20
    avg_talk_minutes=11,  # 1 minute above 10 → 2 off → 8
    csat_rate=88,  # 30 × (88 − 70) ÷ 25 = 21.6
    nps=40,  # 20 × 40 ÷ 50 = 16
    complaint_conversion_rate=0.8,  # ≤ 1 → 12        performance 77.6/100 → 46.56
    professional_skill=3,  # 12
    collaboration=4,  # 16
    qa_pass_rate=92,  # ≥ 90 → 20
    fcr_rate=75,  # 30 × 15 ÷ 25 = 18                 capability 66/100 → 13.2
    suggestions_and_extra_tasks=1,  # 20 + 5 = 25
    violations=0,  # 40
    peer_review_score=4.2,  # ≥ 4 → 24                attitude 89/100 → 17.8
)  # total 77.56 → C, 0.8

ADMIN = dict(
    procurement_on_time_rate=96,  # ≥ 95 → 20
    cost_saving_rate=3,  # 20 × 3 ÷ 5 = 12
    fixed_asset_error_rate=0.5,  # ≤ 0.5 (inclusive) → 25
    meeting_support_csat=91,  # ≥ 90 → 18             performance 75/100 → 45
    professional_skill=4,  # 16
    collaboration=3,  # 12
    problem_solving=5,  # 20                          capability 48/60 → 16
    suggestions_and_extra_tasks=3,  # 20 + 15 = 35, capped at 30
    violations=1,  # 40 − 20 = 20
    peer_review_score=3.6,  # ≥ 3.5 → 18              attitude 68/100 → 13.6
)  # total 74.6 → C, 0.8

TECH = dict(
    repair_hours=4,  # ≤ 4 (inclusive) → 30
    ticket_resolution_rate=95,  # ≥ 95 → 25
    kb_updates=2,  # 0 + 5 × 2 = 10
    csat_rate=95,  # at the target → 25                 performance 90/100 → 54
    professional_skill=4,  # 16
    collaboration=4,  # 16
    fcr_rate=80,  # 20 × 20 ÷ 25 = 16                   capability 48/60 → 16
    suggestions_and_extra_tasks=0,  # 20
    violations=0,  # 40
    peer_review_score=4.5,  # ≥ 4.5 → 30               attitude 90/100 → 18
)  # total 88 → B, 1.0


@pytest.mark.parametrize(
    ("name", "values", "total", "grade", "pay"),
    [
        ("cs-agent", CS_AGENT, "77.56", "C", "6400.00"),
        ("admin-staff", ADMIN, "74.60", "C", "6400.00"),
        ("tech-support", TECH, "88.00", "B", "8000.00"),
    ],
)
def test_service_role_examples(name, values, total, grade, pay):
    result = score(load_scheme(name), values, base_pay=D(8000))
    assert (result.total, result.grade.grade, result.pay) == (D(total), grade, D(pay))


def test_cs_agent_dimension_scores():
    result = score(load_scheme("cs-agent"), CS_AGENT)
    assert [(d.dimension.id, d.earned, d.possible, d.score) for d in result.dimensions] == [
        ("performance", D("77.6"), 100, D("46.56")),
        ("capability", 66, 100, D("13.2")),
        ("attitude", 89, 100, D("17.8")),
    ]


def test_service_roles_share_the_seed_000_weights_and_attitude_items():
    for name in ("cs-agent", "admin-staff", "tech-support"):
        scheme = load_scheme(name)
        assert [(d.id, d.weight) for d in scheme.dimensions] == [
            ("performance", 60),
            ("capability", 20),
            ("attitude", 20),
        ]
        attitude = [i.id for i in scheme.dimensions[2].indicators]
        assert attitude == ["initiative", "compliance", "team_spirit"]
        assert all(d.indicators for d in scheme.dimensions)


def test_the_agent_scheme_uses_the_seed_targets():
    scheme = load_scheme("cs-agent")
    answer = score(scheme, {**CS_AGENT, "answer_rate": 92}).indicator("answer_rate")
    assert answer.points == 20  # seed 000: 接通率 ≥ 92 %
    for minutes, points in [(3, 10), (10, 10), (D("2.9"), D("9.8"))]:
        talk = score(scheme, {**CS_AGENT, "avg_talk_minutes": minutes}).indicator("talk_time")
        assert talk.points.quantize(D("0.01")) == D(points)  # seed 000: 3–10 minutes


def test_the_agent_scheme_reads_talk_time_in_minutes_from_a_metric_in_seconds():
    spec = load_scheme("cs-agent").inputs["avg_talk_minutes"]
    assert str(spec.metric) == "avg_talk_seconds"
    assert spec.from_metric(D(450)) == D("7.5")
    assert spec.show(D("7.5")).zh == "7.5 分钟"


DIRECTOR_VALUES = dict(
    process_completion_rate=92,
    info_utilization_rate=87.5,
    key_account_revisit_rate=100,
    csat=86,
    complaint_response_2h_rate=100,
    complaint_resolved_3wd_rate=96.4,
    complaint_resolution_rate=100,
    coordination=4,
    professionalism=3,
    customer_focus=5,
    service_detail=4,
)  # attitude 16 + 12 + 20 + 16 = 64/80 → 12 in every variant


@pytest.mark.parametrize(
    ("name", "total", "grade"),
    [
        # 20 + 10 + 10 + 10 + 5 = 55/80 → 58.4375 + 12 = 70.4375
        ("cs-director", "70.44", "C"),
        # process 30, information 5: 30 + 5 + 10 + 10 + 5 = 60/80 → 63.75 + 12
        ("cs-director-startup", "75.75", "C"),
        # process 10, satisfaction 86 → 15: 10 + 10 + 10 + 15 + 5 = 50/80 → 53.125 + 12
        ("cs-director-growth", "65.13", "D"),
        # process 10, key accounts 20: 10 + 10 + 20 + 10 + 5 = 55/80 → 58.4375 + 12
        ("cs-director-mature", "70.44", "C"),
    ],
)
def test_director_stage_variants(name, total, grade):
    result = score(load_scheme(name), DIRECTOR_VALUES)
    assert (result.total, result.grade.grade) == (D(total), grade)


@pytest.mark.parametrize("stage", ["startup", "growth", "mature"])
def test_stage_variants_keep_the_director_scheme_but_shift_points(stage):
    base = load_scheme("cs-director")
    variant = load_scheme(f"cs-director-{stage}")
    assert [(d.id, d.weight) for d in variant.dimensions] == [("capability", 85), ("attitude", 15)]
    assert [i.id for i in variant.indicators()] == [i.id for i in base.indicators()]
    assert variant.dimensions[1] == base.dimensions[1]  # attitude untouched
    shifted = {
        i.id: (base.indicator(i.id).max_points, i.max_points)
        for i in variant.indicators()
        if i.max_points != base.indicator(i.id).max_points
    }
    assert len(shifted) == 2
    assert variant.notes is not None
    assert "§三" in variant.notes.zh or "第三节" in variant.notes.zh


def test_every_template_names_everything_in_both_languages():
    for name in builtin_names():
        scheme = load_scheme(name)
        assert scheme.name.zh
        assert scheme.name.en
        assert scheme.notes is not None
        for indicator in scheme.indicators():
            assert indicator.name.zh != indicator.name.en
            assert indicator.description is not None
