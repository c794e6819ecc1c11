"""The fairness report: the mean risk of each group of a protected attribute, the lowest
over the highest, and groups too small to compare named as such."""

from __future__ import annotations

import pytest

from kaohe.ml.attrition import MIN_GROUP_SIZE, TOO_FEW, fairness_report


def test_means_ratio_and_gap_per_attribute_by_hand():
    scores = {f"W{i}": 0.2 for i in range(10)} | {f"M{i}": 0.1 for i in range(10)}
    scores |= {f"M{i}": 0.3 for i in range(10, 20)}  # men: ten at 0.1, ten at 0.3
    sexes = {p: "女" if p.startswith("W") else "男" for p in scores}
    (report,) = fairness_report(scores, {"sex": sexes})
    assert report.name.zh == "性别"
    assert [(g.group, g.size) for g in report.groups] == [("女", 10), ("男", 20)]
    assert [g.mean for g in report.groups] == [pytest.approx(0.2), pytest.approx(0.2)]
    assert report.ratio == pytest.approx(1.0)
    assert report.gap == pytest.approx(0.0)
    scores |= {f"M{i}": 0.5 for i in range(10, 20)}
    (report,) = fairness_report(scores, {"sex": sexes})
    assert report.groups[1].mean == pytest.approx(0.3)
    assert report.ratio == pytest.approx(0.2 / 0.3)
    assert report.gap == pytest.approx(0.1)
    assert report.note is None


def test_a_group_below_the_minimum_is_counted_but_not_compared():
    scores = {f"P{i}": 0.1 * (i % 3) for i in range(30)}
    groups = dict.fromkeys(scores, "A") | {"P0": "B", "P1": "B", "P2": "B"}
    (report,) = fairness_report(scores, {"ethnicity": groups})
    few = next(g for g in report.groups if g.group == "B")
    assert (few.size, few.mean) == (3, None)
    assert MIN_GROUP_SIZE > 3
    assert (report.ratio, report.note) == (None, TOO_FEW)
    assert report.note.en == "too few to compare"


def test_people_without_the_attribute_are_left_out():
    scores = {f"P{i}": 0.1 for i in range(25)}
    groups = {f"P{i}": "甲" if i < 10 else "乙" for i in range(20)}
    (report,) = fairness_report(scores, {"hukou": groups})
    assert sum(g.size for g in report.groups) == 20
