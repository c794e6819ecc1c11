"""Training the attrition model: a logistic-regression baseline and a gradient-boosting
challenger, validated on later months than they were trained on, the better one by
validation AUC refitted on the whole labelled history and kept.

The split is by time, never at random: the months holding the latest share of the
resignations are held out, and a training row counts only if its horizon had ended by the
first held-out month —
what a model trained on that day would have known. Without that gap, a person who left
soon after the split would sit on both sides of it and flatter the validation.
"""

from __future__ import annotations

import pickle
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from kaohe.core import Text

from ._attrition_errors import BadTable, ProxyFinding
from ._attrition_guard import refuse_protected_names, refuse_proxies
from ._attrition_table import FeatureTable, Matrix, Snapshot, labels, months_after
from ._attrition_words import describe

# Fewer people who resigned than this, and the model says so instead of scoring anyone.
MIN_LEAVERS = 30
# Each side of the time split needs this many resignations for its figures to mean much.
MIN_LEAVERS_EACH_SIDE = 5
HORIZONS = (3, 4, 5, 6)  # months ahead a risk is about
VALIDATION_SHARE = 1 / 3  # of the resignations, the latest
# A factor must move the risk by at least this much (one percentage point) to be named.
MIN_CONTRIBUTION = 0.01
TOP_FACTORS = 3
# Risk bands, against the history's rate of resigning within the horizon: a person whose
# risk is three times the usual is high, one and a half times medium. Relative, because the
# usual rate differs from one organisation (and horizon) to the next: 4 % within three
# months is common, and few people anywhere reach an absolute 40 %.
BANDS = (("high", 3.0), ("medium", 1.5), ("low", 0.0))
CALIBRATION_BINS = 10
LOGISTIC, BOOSTING = "logistic", "boosting"
FORMAT = 1  # of the stored bytes


# scikit-learn is imported where it is used, not with this module: it costs seconds, which
# every process that merely shows a stored score would otherwise pay at start-up.


def _one_thread() -> Any:
    """Fit and predict on one thread: the boosting library would otherwise start a thread
    per core, and on a server that shares its cores with the web workers (or tests running
    side by side) the threads contend and take ten times as long."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    return threadpool_limits(limits=1)


def _candidates() -> dict[str, Any]:
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        LOGISTIC: Pipeline([
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=1.0, max_iter=2000)),
        ]),
        BOOSTING: Pipeline([
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("model", HistGradientBoostingClassifier(
                learning_rate=0.05, max_iter=200, max_leaf_nodes=15, min_samples_leaf=20,
                l2_regularization=1.0, early_stopping=False, random_state=0,
            )),
        ]),
    }  # fmt: skip


@dataclass(frozen=True)
class ReliabilityBin:
    """Snapshots whose predicted risk fell in [low, high): how many, the mean predicted
    risk, and the share that did resign. A calibrated model has the two close."""

    low: float
    high: float
    count: int
    predicted: float
    observed: float


@dataclass(frozen=True)
class Validation:
    model: str  # logistic or boosting
    auc: float
    brier: float
    bins: tuple[ReliabilityBin, ...]


@dataclass(frozen=True)
class Split:
    train_months: tuple[date, date]
    validation_months: tuple[date, date]
    train_rows: int
    train_leavers: int  # rows that resigned within the horizon
    validation_rows: int
    validation_leavers: int


@dataclass(frozen=True)
class TooLittleHistory:
    """Not enough resignations to learn from: no model, no scores."""

    leavers: int
    needed: int
    reason: Text


@dataclass(frozen=True)
class Factor:
    feature: str
    value: float
    contribution: float  # how much this value raises the risk, against the median's
    text: Text


@dataclass(frozen=True)
class Assessment:
    person: str
    at: date
    score: float
    band: str
    factors: tuple[Factor, ...]


def band_of(score: float, base_rate: float) -> str:
    return next(name for name, times in BANDS if score >= times * base_rate)


def reliability(
    y: np.ndarray, p: np.ndarray, bins: int = CALIBRATION_BINS
) -> tuple[ReliabilityBin, ...]:
    edges = np.linspace(0.0, 1.0, bins + 1)
    found = []
    for i in range(bins):
        inside = (p >= edges[i]) & ((p < edges[i + 1]) | (i == bins - 1))
        if inside.any():
            found.append(ReliabilityBin(
                float(edges[i]), float(edges[i + 1]), int(inside.sum()),
                float(p[inside].mean()), float(y[inside].mean()),
            ))  # fmt: skip
    return tuple(found)


def _validate(name: str, pipeline: Any, x: Matrix, y: np.ndarray) -> Validation:
    from sklearn.metrics import brier_score_loss, roc_auc_score

    p = pipeline.predict_proba(x)[:, 1]
    return Validation(
        name, float(roc_auc_score(y, p)), float(brier_score_loss(y, p)), reliability(y, p)
    )


@dataclass
class TrainedModel:
    """The chosen model, refitted on all labelled snapshots, with both candidates'
    validation figures. ``score`` and ``assess`` read new snapshots."""

    features: tuple[str, ...]
    chosen: str
    validations: tuple[Validation, ...]
    split: Split
    horizon_months: int
    leavers: int  # people who resigned within the history
    people: int
    snapshots: int
    base_rate: float  # share of labelled snapshots followed by a resignation
    reference: tuple[float, ...]  # each feature's median, what a factor is measured against
    coefficients: dict[str, float]  # the logistic model's, on standardised features
    proxy_checks: tuple[ProxyFinding, ...] = ()
    pipeline: Any = field(default=None, repr=False)
    library: str = ""  # the scikit-learn version that fitted it

    def validation_of(self, name: str) -> Validation:
        return next(v for v in self.validations if v.model == name)

    def score(self, table: FeatureTable) -> list[float]:
        with _one_thread():
            return [float(p) for p in self.pipeline.predict_proba(self._matrix(table))[:, 1]]

    def assess(self, table: FeatureTable, top: int = TOP_FACTORS) -> list[Assessment]:
        """Each row's risk, band and the factors that raise it most: the risk with the
        person's value against the risk with the median in its place, one feature at a
        time. Unknown values count as the median, so they are never a reason."""
        x = self._matrix(table)
        n, k = x.shape
        swapped = np.repeat(x, k, axis=0)
        for j in range(k):
            swapped[j::k, j] = self.reference[j]
        with _one_thread():
            risks = self.pipeline.predict_proba(x)[:, 1]
            without = self.pipeline.predict_proba(swapped)[:, 1].reshape(n, k)
        found = []
        for i, row in enumerate(table.rows):
            raised = risks[i] - without[i]
            order = [j for j in np.argsort(-raised) if raised[j] >= MIN_CONTRIBUTION][:top]
            factors = tuple(
                Factor(self.features[j], float(x[i, j]), float(raised[j]),
                       describe(self.features[j], float(x[i, j])))
                for j in order if not np.isnan(x[i, j])
            )  # fmt: skip
            found.append(
                Assessment(
                    row.person,
                    row.at,
                    float(risks[i]),
                    band_of(float(risks[i]), self.base_rate),
                    factors,
                )
            )
        return found

    def _matrix(self, table: FeatureTable) -> Matrix:
        if table.features != self.features:
            raise BadTable(Text("特征与训练时不同", "the features differ from the model's"))
        return table.matrix()

    def to_bytes(self) -> bytes:
        return pickle.dumps({"format": FORMAT, "model": self})

    @staticmethod
    def from_bytes(data: bytes) -> TrainedModel:
        """Only for bytes ``to_bytes`` wrote and kaohe stored: unpickling runs code."""
        loaded = pickle.loads(data)
        if not isinstance(loaded, dict) or loaded.get("format") != FORMAT:
            raise BadTable(Text("存储的模型格式不对", "the stored model has another format"))
        model = loaded["model"]
        assert isinstance(model, TrainedModel)
        return model


def _leavers(rows: Sequence[Snapshot]) -> int:
    return len({row.person for row in rows if row.left})


def _split(
    rows: list[Snapshot], horizon: int, share: float
) -> tuple[list[Snapshot], list[Snapshot]]:
    """Held out: the snapshots from the month where the latest ``share`` of the
    resignations begins (by months, not by rows: an organisation's early years may hold
    none, and a split by months alone would leave them all to training). Training: the
    snapshots whose horizon had ended by then."""
    positives = sorted(row.at for row in rows if row.left)
    start = positives[min(len(positives) - 1, int(len(positives) * (1 - share)))]
    validation = [row for row in rows if row.at >= start]
    train = [row for row in rows if months_after(row.at, horizon) <= start]
    return train, validation


def train(
    table: FeatureTable,
    *,
    horizon_months: int = 6,
    attributes: Mapping[str, Mapping[str, str]] | None = None,
    min_leavers: int = MIN_LEAVERS,
    validation_share: float = VALIDATION_SHARE,
) -> TrainedModel | TooLittleHistory:
    """Train on the table's labelled snapshots. Raises ProtectedFeature for a feature named
    for a protected attribute and ProxyFeature for one that stands in for an imported one;
    answers TooLittleHistory when there are too few resignations to learn or to check."""
    with _one_thread():
        return _train(table, horizon_months, attributes or {}, min_leavers, validation_share)


def _train(
    table: FeatureTable,
    horizon_months: int,
    attributes: Mapping[str, Mapping[str, str]],
    min_leavers: int,
    validation_share: float,
) -> TrainedModel | TooLittleHistory:
    if horizon_months not in HORIZONS:
        raise BadTable(Text("预测期须为 3 到 6 个月", "the horizon must be 3 to 6 months"))
    refuse_protected_names(table.features)
    checks = tuple(refuse_proxies(table, attributes)) if attributes else ()
    rows = table.labelled()
    leavers = _leavers(rows)
    if leavers < min_leavers:
        return TooLittleHistory(leavers, min_leavers, Text(
            f"历史中只有 {leavers} 名主动离职者，少于 {min_leavers} 名，"
            "不足以可靠地学习，因此不给出评分",
            f"the history holds {leavers} people who resigned, fewer than {min_leavers}: too few "
            "to learn from, so no one is scored",
        ))  # fmt: skip
    train_rows, validation_rows = _split(rows, horizon_months, validation_share)
    y_train, y_val = labels(train_rows), labels(validation_rows)
    if min(int(y_train.sum()), int(y_val.sum())) < MIN_LEAVERS_EACH_SIDE or (
        len(set(y_train.tolist())) < 2 or len(set(y_val.tolist())) < 2
    ):
        return TooLittleHistory(leavers, min_leavers, Text(
            "按时间划分后，训练期或验证期的离职者太少，无法验证模型；需要更长的历史",
            "after the split by time, the training or the validation months hold too few "
            "resignations to check the model: it needs a longer history",
        ))  # fmt: skip
    x_train, x_val = table.matrix(train_rows), table.matrix(validation_rows)
    validations = []
    for name, pipeline in _candidates().items():
        pipeline.fit(x_train, y_train)
        validations.append(_validate(name, pipeline, x_val, y_val))
    chosen = max(validations, key=lambda v: (v.auc, v.model == LOGISTIC)).model
    x_all, y_all = table.matrix(rows), labels(rows)
    final = _candidates()[chosen].fit(x_all, y_all)
    logistic = final if chosen == LOGISTIC else _candidates()[LOGISTIC].fit(x_all, y_all)
    coefficients = dict(zip(table.features, (float(c) for c in logistic[-1].coef_[0]), strict=True))
    with warnings.catch_warnings():  # a feature unknown for everyone has no median: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        medians = np.nanmedian(x_all, axis=0)
    return TrainedModel(
        features=table.features,
        chosen=chosen,
        validations=tuple(validations),
        split=Split(
            (min(r.at for r in train_rows), max(r.at for r in train_rows)),
            (min(r.at for r in validation_rows), max(r.at for r in validation_rows)),
            len(train_rows), int(y_train.sum()), len(validation_rows), int(y_val.sum()),
        ),
        horizon_months=horizon_months,
        leavers=leavers,
        people=len({r.person for r in rows}),
        snapshots=len(rows),
        base_rate=float(y_all.mean()),
        reference=tuple(float(m) for m in medians),
        coefficients=coefficients,
        proxy_checks=checks,
        pipeline=final,
        library=_version(),
    )  # fmt: skip


def _version() -> str:
    import sklearn

    return str(sklearn.__version__)


def cross_validate(table: FeatureTable, folds: int = 5, seed: int = 0) -> dict[str, float]:
    """Each candidate's mean AUC over stratified folds: for a table without time, such as a
    public data set, where a split by time is impossible. Refuses protected features as
    ``train`` does. Never used on kaohe's own history, whose months must stay in order."""
    refuse_protected_names(table.features)
    rows = table.labelled()
    x, y = table.matrix(rows), labels(rows)
    with _one_thread():
        return _folds(x, y, folds, seed)


def _folds(x: Matrix, y: np.ndarray, folds: int, seed: int) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    found: dict[str, list[float]] = {}
    for train_index, test_index in StratifiedKFold(folds, shuffle=True, random_state=seed).split(
        x, y
    ):
        for name, pipeline in _candidates().items():
            pipeline.fit(x[train_index], y[train_index])
            p = pipeline.predict_proba(x[test_index])[:, 1]
            found.setdefault(name, []).append(float(roc_auc_score(y[test_index], p)))
    return {name: float(np.mean(aucs)) for name, aucs in found.items()}
