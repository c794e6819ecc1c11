"""The attrition model: a time split that never validates on earlier months than it
trained on, both candidates measured and the better kept, calibration and the Brier score
reported, reasons in both languages, too little history answered without a score."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from kaohe.ml.attrition import (
    BOOSTING,
    LOGISTIC,
    MIN_CONTRIBUTION,
    BadTable,
    FeatureTable,
    Snapshot,
    TooLittleHistory,
    TrainedModel,
    band_of,
    describe,
    months_after,
    reliability,
    train,
)

from .attrition_history import FEATURES, history


@pytest.fixture(scope="module")
def table():
    return history()


@pytest.fixture(scope="module")
def model(table):
    trained = train(table, horizon_months=6)
    assert isinstance(trained, TrainedModel)
    return trained


def test_validation_months_come_after_training_and_the_horizon_gap(table, model):
    split = model.split
    labelled = table.labelled()
    # Held out: from the month where the latest third of the resignations begins...
    positives = sorted(r.at for r in labelled if r.left)
    start = positives[int(len(positives) * 2 / 3)]
    assert split.validation_months == (start, max(r.at for r in labelled))
    assert split.validation_rows == sum(1 for r in labelled if r.at >= start)
    # ...trained on the rows whose six months had passed by then: none of them in between.
    assert months_after(split.train_months[1], 6) <= start < months_after(split.train_months[1], 7)
    assert split.train_leavers == sum(
        1 for r in labelled if r.left and months_after(r.at, 6) <= start
    )
    assert split.validation_leavers >= len(positives) // 3


def test_both_candidates_are_reported_and_the_better_by_validation_auc_is_kept(model):
    assert {v.model for v in model.validations} == {LOGISTIC, BOOSTING}
    best = max(model.validations, key=lambda v: v.auc)
    assert model.chosen == best.model
    # The made-up history's signal is real: the kept model ranks leavers well above chance.
    assert best.auc > 0.7
    for validation in model.validations:
        assert 0 < validation.brier < 0.25
        assert sum(b.count for b in validation.bins) == model.split.validation_rows


def test_the_reliability_bins_count_predicted_and_observed_per_tenth():
    y = np.array([0, 0, 1, 1, 0])
    p = np.array([0.05, 0.08, 0.15, 0.95, 1.0])
    bins = reliability(y, p)
    assert [(b.low, b.count) for b in bins] == [(0.0, 2), (0.1, 1), (0.9, 2)]
    assert bins[0].predicted == pytest.approx(0.065)
    assert (bins[0].observed, bins[1].observed, bins[2].observed) == (0.0, 1.0, 0.5)


def test_fewer_than_thirty_who_resigned_is_too_little_history(table):
    leavers = sorted({r.person for r in table.rows if r.left})
    keep = set(leavers[:29])
    rows = [
        r if (not r.left or r.person in keep) else Snapshot(r.person, r.at, r.values, False)
        for r in table.rows
    ]
    answer = train(FeatureTable(table.features, tuple(rows)), horizon_months=6)
    assert isinstance(answer, TooLittleHistory)
    assert (answer.leavers, answer.needed) == (29, 30)
    assert "29" in answer.reason.zh
    assert "fewer than 30" in answer.reason.en


def test_a_history_too_short_to_split_by_time_is_too_little_history():
    short = history(months=9)  # three labelled months: no gap of six before the held-out
    answer = train(short, horizon_months=6, min_leavers=1)
    assert isinstance(answer, TooLittleHistory)
    assert "split by time" in answer.reason.en


def test_the_horizon_must_be_three_to_six_months(table):
    with pytest.raises(BadTable):
        train(table, horizon_months=12)


def test_each_factor_raises_the_risk_and_reads_as_a_sentence(model, table):
    latest = max(r.at for r in table.rows)
    people = FeatureTable(FEATURES, tuple(r for r in table.rows if r.at == latest))
    assessed = model.assess(people)
    assert len(assessed) == len(people.rows)
    for found in assessed:
        assert found.band == band_of(found.score, model.base_rate)
        assert len(found.factors) <= 3
        assert [f.contribution for f in found.factors] == sorted(
            (f.contribution for f in found.factors), reverse=True
        )
        assert all(f.contribution >= MIN_CONTRIBUTION for f in found.factors)
    # Someone whose CSAT fell four months running has it among their reasons.
    falling = next(a for a, r in zip(assessed, people.rows, strict=True)
                   if r.values["csat_falling_months"] >= 4)  # fmt: skip
    texts = [f.text for f in falling.factors]
    count = int(next(f.value for f in falling.factors if f.feature == "csat_falling_months"))
    assert describe("csat_falling_months", count) in texts


def test_a_person_at_the_median_of_everything_has_no_reasons(model):
    median = dict(zip(model.features, model.reference, strict=True))
    found = model.assess(FeatureTable(model.features, (Snapshot("M", date(2026, 1, 31), median),)))
    assert found[0].factors == ()


def test_unknown_values_are_never_a_reason(model):
    blank = Snapshot("U", date(2026, 1, 31), dict.fromkeys(model.features))
    assert model.assess(FeatureTable(model.features, (blank,)))[0].factors == ()


def test_the_stored_model_gives_the_same_scores(model, table):
    again = TrainedModel.from_bytes(model.to_bytes())
    some = FeatureTable(table.features, table.rows[:50])
    assert again.score(some) == model.score(some)


def test_a_table_with_other_features_is_refused(model):
    other = FeatureTable(("a",), (Snapshot("X", date(2026, 1, 31), {"a": 1.0}),))
    with pytest.raises(BadTable):
        model.score(other)


def test_sentences_in_both_languages():
    assert describe("csat_falling_months", 3).zh == "满意度连续三个月下降"
    assert describe("csat_falling_months", 3).en == "CSAT fell three months running"
    assert describe("grade_last", 2).en == "grade D last cycle"
    assert describe("grade_last", 2).zh == "上一周期考核等级为 D"
    assert describe("manager_changes_12m", 2).zh == "近 12 个月更换上级两次"
    assert describe("pay_vs_median", 0.876).en == "base pay 88% of the position's median"
    assert describe("negative_incidents_6m", 1).en == (
        "one negative critical incident in the last six months"
    )
    assert describe("JobLevel", 2).en == "JobLevel is 2"


def test_bands_against_the_usual_rate():
    # With 12.5 % resigning as usual: 18.75 % is one and a half times, 37.5 % three times.
    assert [band_of(p, 0.125) for p in (0.0, 0.18, 0.1875, 0.37, 0.375, 1.0)] == [
        "low", "low", "medium", "medium", "high", "high"
    ]  # fmt: skip


def test_month_ends_stay_month_ends():
    assert months_after(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert months_after(date(2026, 2, 28), 1) == date(2026, 3, 31)
    assert months_after(date(2026, 1, 15), 6) == date(2026, 7, 15)
