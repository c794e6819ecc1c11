"""The weight advice's signals on hand-made quarterly series: a figure worsening is
reported, a flat, improving, noisy or too short one is not, and the strength and the
sentence follow the figures."""

from decimal import Decimal

import pytest

from kaohe.analytics import (
    ORGANISATION,
    QuarterReading,
    SignalKind,
    Subject,
    find_signal,
    judge,
    launch_signal,
    weight_for,
)
from kaohe.core import Text

QUARTERS = ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]


def series(*values, base=20):
    """Readings of the last len(values) quarters, each on ``base`` (or (value, base))."""
    readings = []
    for quarter, value in zip(QUARTERS[-len(values) :], values, strict=True):
        value, on = value if isinstance(value, tuple) else (value, base)
        readings.append(QuarterReading(quarter, value, on))
    return readings


def test_a_sharp_fall_in_key_account_visits_is_full_strength():
    trend = judge(series(96, 97, 95, 97, 62), "key_account_revisit_rate")
    # Baseline (96 + 97 + 95 + 97) / 4 = 96.25; usual swing (1 + 2 + 2) / 3; fell 34.25.
    assert trend.baseline == pytest.approx(96.25)
    assert trend.swing == pytest.approx(5 / 3)
    assert trend.worsening == pytest.approx(34.25)
    assert trend.strength == 1.0


def test_a_moderate_fall_is_as_strong_as_it_is_far_towards_full():
    trend = judge(series(90, 92, 91, 80), "key_account_revisit_rate")
    # Baseline 91, swing 1.5, fell 11 of the 25 points of full strength.
    assert trend.strength == pytest.approx(0.44)
    assert weight_for(trend.strength) == Decimal(2)  # 5 × 0.44 = 2.2


@pytest.mark.parametrize(
    "values",
    [
        (90, 90, 90, 90),  # flat
        (80, 85, 90, 95),  # rising: better, not worse
        (90, 90, 86),  # down 4, under the 5 points noticed
        (90, 70, 95, 72, 80),  # noisy: down 1.75 on a swing of 22.7
        (90, 70, 95, 72, 50),  # noisy: down 31.75, yet under twice the swing of 22.7
    ],
    ids=["flat", "rising", "small", "noisy", "noisy-drop"],
)
def test_nothing_is_reported_for(values):
    trend = judge(series(*values), "key_account_revisit_rate")
    assert trend is not None
    assert not trend.reported
    assert find_signal(SignalKind.KEY_ACCOUNTS, ORGANISATION,
                       {"key_account_revisit_rate": series(*values)}) is None  # fmt: skip


def test_a_fall_of_exactly_the_notice_on_a_steady_figure_is_reported():
    trend = judge(series(90, 90, 85), "key_account_revisit_rate")
    assert trend.strength == pytest.approx(0.2)
    assert weight_for(trend.strength) == Decimal(1)


@pytest.mark.parametrize(
    "readings",
    [
        series(95, 60),  # one quarter before the latest
        series(95),
        [],
        series(95, (90, 3), 60),  # the middle quarter stands on 3 key accounts: left out
        series(95, 94, (60, 4)),  # the latest stands on too few
        series(95, 94, (None, 0)),  # the latest has no value
    ],
    ids=["two", "one", "none", "small-base-before", "small-base-latest", "empty-latest"],
)
def test_too_short_to_judge(readings):
    assert judge(readings, "key_account_revisit_rate") is None


def test_readings_on_too_small_a_base_are_left_out_of_the_baseline():
    trend = judge(series(90, (50, 2), 92, 60), "key_account_revisit_rate")
    assert [r.value for r in trend.earlier] == [90, 92]
    assert trend.baseline == 91
    assert trend.strength == 1.0  # fell 31 on a swing of 2


def test_only_the_last_four_quarters_before_make_the_baseline():
    readings = [QuarterReading(f"Q{i}", v, 20) for i, v in enumerate([40, 90, 90, 90, 90, 80])]
    trend = judge(readings, "key_account_revisit_rate")
    assert trend.baseline == 90  # the 40 of six quarters ago is not in it


def test_resolution_time_is_judged_against_its_baseline_in_proportion():
    trend = judge(series(10, 10.5, 9.5, 14), "complaint_resolution_hours")
    # Baseline 10 h, swing 0.75 h; 4 h longer is 40 % of the baseline, full strength at 60 %.
    assert trend.strength == pytest.approx(0.4 / 0.6)
    faster = judge(series(10, 10.5, 9.5, 6), "complaint_resolution_hours")
    assert not faster.reported


def test_a_longer_resolution_time_under_15_percent_is_not_noticed():
    trend = judge(series(10, 10, 10, 11.4), "complaint_resolution_hours")
    assert not trend.reported


def test_two_worsening_figures_add_up_in_one_signal():
    signal = find_signal(
        SignalKind.KEY_ACCOUNTS,
        ORGANISATION,
        {
            "key_account_revisit_rate": series(90, 92, 91, 80),
            "key_account_nps": series(40, 42, 41, 30, base=50),
        },
    )
    assert signal.strength == pytest.approx(0.88)  # 11/25 + 11/25
    assert signal.weight == Decimal(4)  # 5 × 0.88 = 4.4
    assert [t.figure for t in signal.trends] == ["key_account_revisit_rate", "key_account_nps"]


def test_the_strength_is_at_most_one():
    signal = find_signal(
        SignalKind.PROCESS,
        ORGANISATION,
        {
            "complaint_resolution_hours": series(10, 10, 10, 20),
            "complaint_resolution_rate": series(99, 99, 99, 80),
        },
    )
    assert signal.strength == 1.0
    assert signal.weight == Decimal(5)


def test_a_figure_not_worsening_is_kept_as_context_but_not_said():
    signal = find_signal(
        SignalKind.PROCESS,
        ORGANISATION,
        {
            "complaint_resolution_hours": series(10, 10, 10, 10),
            "complaint_resolution_rate": series(98, 99, 98, 90, base=30),
        },
    )
    # Rate: baseline 98.33, swing 1, fell 8.33 of the 15 points of full strength.
    assert signal.strength == pytest.approx(25 / 3 / 15)
    assert [t.reported for t in signal.trends] == [False, True]
    assert "time" not in signal.sentence.en


def test_the_sentence_says_whose_figures_and_what_they_did():
    sales = Subject("department:7", Text("销售部", "销售部"))
    signal = find_signal(SignalKind.KEY_ACCOUNTS, sales,
                         {"key_account_revisit_rate": series(96, 97, 95, 97, 62)})  # fmt: skip
    assert signal.sentence == Text(
        "销售部大客户流失风险上升：大客户回访执行率由此前 4 个季度平均 96.3% 降至 2026-Q3 的 62%。",
        "Key-account churn risk is rising for 销售部: the key-account revisit rate fell from "
        "an average of 96.3 % over the 4 quarters before to 62 % in 2026-Q3.",
    )
    assert signal.subject == sales


def test_a_process_sentence_in_hours():
    signal = find_signal(SignalKind.PROCESS, ORGANISATION,
                         {"complaint_resolution_hours": series(10, 10.5, 9.5, 14)})  # fmt: skip
    assert signal.sentence.en == (
        "A complaint-handling bottleneck for the organisation: the mean complaint resolution "
        "time rose from an average of 10 h over the 3 quarters before to 14 h in 2026-Q3."
    )
    assert signal.sentence.zh == (
        "全公司投诉处理出现流程瓶颈：投诉平均解决时长由此前 3 个季度平均 10 小时 升至 2026-Q3 的 "
        "14 小时。"
    )


def test_a_launch_flag_asks_for_the_weight_hr_gave():
    signal = launch_signal("新品 X", "2026-10-01", "2026-12-31", ["fcr", "kb_updates"], 3)
    assert signal.kind is SignalKind.LAUNCH
    assert signal.weight == Decimal(3)
    assert signal.indicators == ("fcr", "kb_updates")
    assert "新品 X" in signal.sentence.zh
    assert "2026-10-01 to 2026-12-31" in signal.sentence.en
    for weight in (0, 6):
        with pytest.raises(ValueError, match="1 to 5"):
            launch_signal("X", "2026-10-01", "2026-12-31", ["fcr"], weight)


@pytest.mark.parametrize(
    ("strength", "weight"), [(0.01, 1), (0.1, 1), (0.3, 2), (0.5, 3), (0.89, 4), (1.0, 5)]
)
def test_the_weight_a_strength_moves(strength, weight):
    assert weight_for(strength) == Decimal(weight)
