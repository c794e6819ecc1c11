"""The model never learns from a protected attribute: not from a feature named for one,
and not from a feature that stands in for one HR imported."""

from __future__ import annotations

import random
from datetime import date

import pytest

from kaohe.ml.attrition import (
    PROXY_AUC,
    FeatureTable,
    ProtectedFeature,
    ProxyFeature,
    Snapshot,
    TrainedModel,
    protected_attribute_named,
    proxy_findings,
    train,
)

from .attrition_history import history


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("Age", "age"),
        ("age_band", "age"),
        ("birthYear", "age"),
        ("Over18", "age"),
        ("年龄", "age"),
        ("Gender", "sex"),
        ("性别", "sex"),
        ("MaritalStatus", "marital_status"),
        ("婚否", "marital_status"),
        ("has_children", "childbirth"),
        ("maternity_leave_days", "childbirth"),
        ("生育情况", "childbirth"),
        ("ethnic_group", "ethnicity"),
        ("民族", "ethnicity"),
        ("religion", "religion"),
        ("health_check", "health"),
        ("病假天数", "health"),
        ("hukou_city", "hukou"),
        ("户籍所在地", "hukou"),
    ],
)
def test_a_name_for_a_protected_attribute_is_known_whatever_its_spelling(name, attribute):
    assert protected_attribute_named(name) == attribute


@pytest.mark.parametrize(
    "name",
    ["manager_changes_12m", "average_handle_time", "wage_ratio", "PercentSalaryHike",
     "YearsAtCompany", "EducationField=Medical", "JobRole=Manager", "tenure_months",
     "DistanceFromHome", "满意度"],
)  # fmt: skip
def test_ordinary_features_are_not_mistaken_for_protected_ones(name):
    assert protected_attribute_named(name) is None


def test_training_refuses_a_protected_feature_naming_it_and_the_attribute():
    table = history(people=40, months=12)
    rows = tuple(Snapshot(r.person, r.at, {**r.values, "Gender": 1.0}, r.left) for r in table.rows)
    with pytest.raises(ProtectedFeature) as refused:
        train(FeatureTable((*table.features, "Gender"), rows), min_leavers=1)
    assert (refused.value.feature, refused.value.attribute) == ("Gender", "sex")
    assert "Gender" in refused.value.text.zh
    assert "性别" in refused.value.text.zh


def _with_attribute(table, group_of, proxy=None):
    """The table with a feature that follows the attribute (when ``proxy`` says how)."""
    if proxy is None:
        return table
    rows = tuple(
        Snapshot(r.person, r.at, {**r.values, "shift_pattern": proxy(group_of[r.person])}, r.left)
        for r in table.rows
    )
    return FeatureTable((*table.features, "shift_pattern"), rows)


@pytest.fixture(scope="module")
def base():
    return history()


@pytest.fixture(scope="module")
def sexes(base):
    rng = random.Random(5)
    return {person: rng.choice(["女", "男"]) for person in sorted({r.person for r in base.rows})}


def test_a_feature_that_tells_the_sexes_apart_is_refused_as_a_proxy(base, sexes):
    rng = random.Random(9)
    table = _with_attribute(
        base, sexes, lambda sex: (1.0 if sex == "女" else 0.0) + rng.gauss(0, 0.3)
    )
    with pytest.raises(ProxyFeature) as refused:
        train(table, attributes={"sex": sexes})
    assert (refused.value.feature, refused.value.attribute) == ("shift_pattern", "sex")
    assert refused.value.found[0].auc > 0.9
    assert "性别" in refused.value.text.zh
    assert "shift_pattern" in refused.value.text.en


def test_features_unrelated_to_the_attribute_pass_and_their_checks_are_kept(base, sexes):
    trained = train(base, attributes={"sex": sexes})
    assert isinstance(trained, TrainedModel)
    assert {c.feature for c in trained.proxy_checks} == set(base.features)
    assert all(0.5 <= c.auc <= PROXY_AUC for c in trained.proxy_checks)


def test_the_proxy_auc_of_a_feature_that_splits_the_groups_perfectly_is_one():
    rows = tuple(
        Snapshot(f"P{i}", date(2026, 1, 31), {"x": float(i < 12)}, False) for i in range(24)
    )
    groups = {f"P{i}": "a" if i < 12 else "b" for i in range(24)}
    found = proxy_findings(FeatureTable(("x",), rows), {"sex": groups})
    assert [(f.feature, f.group, f.auc) for f in found] == [("x", "a", 1.0)]


def test_groups_too_small_to_judge_are_not_tested():
    rows = tuple(
        Snapshot(f"P{i}", date(2026, 1, 31), {"x": float(i < 5)}, False) for i in range(30)
    )
    groups = {f"P{i}": "few" if i < 5 else "many" for i in range(30)}
    assert proxy_findings(FeatureTable(("x",), rows), {"religion": groups}) == []
