"""The attrition-risk model: who is likely to resign within the next three to six months,
learned from the organisation's own history, with the reasons for each person's risk.

    table = FeatureTable.of(features, snapshots)      # one row per person and month
    model = train(table, horizon_months=6, attributes=imported)
    if isinstance(model, TooLittleHistory): ...       # fewer than 30 who resigned: no scores
    model.assess(today)                               # risk, band and top factors per person
    fairness_report(scores, imported)                 # mean risk per group, never per person

Protected attributes (sex, age, marital or childbirth status, ethnicity, religion,
health, hukou) are never features: a feature named for one is refused
(``ProtectedFeature``), and where HR imported them, a feature that predicts one is refused
too (``ProxyFeature``). The attributes themselves serve only that check and the fairness
report. Errors (see ``_attrition_errors``): ``AttritionError`` ⊃ ``BadTable``,
``ProtectedFeature``, ``ProxyFeature``.
"""

from ._attrition_errors import (
    AttritionError,
    BadTable,
    ProtectedFeature,
    ProxyFeature,
    ProxyFinding,
)
from ._attrition_fairness import MIN_GROUP_SIZE, TOO_FEW, AttributeGap, GroupScores, fairness_report
from ._attrition_guard import (
    PROTECTED,
    PROXY_AUC,
    PROXY_MIN_GROUP,
    protected_attribute_named,
    proxy_findings,
    refuse_protected_names,
)
from ._attrition_model import (
    BANDS,
    BOOSTING,
    HORIZONS,
    LOGISTIC,
    MIN_CONTRIBUTION,
    MIN_LEAVERS,
    Assessment,
    Factor,
    ReliabilityBin,
    Split,
    TooLittleHistory,
    TrainedModel,
    Validation,
    band_of,
    cross_validate,
    reliability,
    train,
)
from ._attrition_table import FeatureTable, Snapshot, month_end, months_after
from ._attrition_words import FEATURE_NAMES, GRADES, SENTENCES, describe, feature_name

__all__ = [
    "BANDS",
    "BOOSTING",
    "FEATURE_NAMES",
    "GRADES",
    "HORIZONS",
    "LOGISTIC",
    "MIN_CONTRIBUTION",
    "MIN_GROUP_SIZE",
    "MIN_LEAVERS",
    "PROTECTED",
    "PROXY_AUC",
    "PROXY_MIN_GROUP",
    "SENTENCES",
    "TOO_FEW",
    "Assessment",
    "AttributeGap",
    "AttritionError",
    "BadTable",
    "Factor",
    "FeatureTable",
    "GroupScores",
    "ProtectedFeature",
    "ProxyFeature",
    "ProxyFinding",
    "ReliabilityBin",
    "Snapshot",
    "Split",
    "TooLittleHistory",
    "TrainedModel",
    "Validation",
    "band_of",
    "cross_validate",
    "describe",
    "fairness_report",
    "feature_name",
    "month_end",
    "months_after",
    "protected_attribute_named",
    "proxy_findings",
    "refuse_protected_names",
    "reliability",
    "train",
]
