"""Statistics over many appraisals: distribution guidelines and their quotas, rater-bias
checks. Pure Python like the core: no Django, no database, no clock; the Django apps gather
the figures and pass them in.

    check = guideline.check(counts)          # quotas by the largest-remainder method
    flags = rater_flags(appraisals, scale)   # leniency, severity, central tendency, halo, gaps
"""

from ._badges import (
    Award,
    BadgeRule,
    Candidate,
    Comparison,
    Reading,
    Standing,
    evaluate,
    peer_visible,
    standings,
)
from ._bias import (
    MIN_RATED,
    BiasReport,
    Flag,
    FlagKind,
    RatedAppraisal,
    RaterFigures,
    rater_bias,
    self_gap,
)
from ._cost import cost_if_met
from ._diagnosis import Attainment, Cell, Diagnosis, Weakness, diagnose
from ._distribution import (
    DEFAULT_MINIMUM_POPULATION,
    GradeCheck,
    Guideline,
    GuidelineCheck,
    GuidelineError,
    Share,
    largest_remainder,
)
from ._projection import Projection, elapsed_share, project_total
from ._reviews import (
    OTHERS,
    Aggregate,
    BlindSpot,
    GroupRule,
    ReviewCell,
    ReviewResponse,
    ReviewSummary,
    ShownGroup,
    summarise_reviews,
)

__all__ = [
    "DEFAULT_MINIMUM_POPULATION",
    "MIN_RATED",
    "OTHERS",
    "Aggregate",
    "Attainment",
    "Award",
    "BadgeRule",
    "BiasReport",
    "BlindSpot",
    "Candidate",
    "Cell",
    "Comparison",
    "Diagnosis",
    "Flag",
    "FlagKind",
    "GradeCheck",
    "GroupRule",
    "Guideline",
    "GuidelineCheck",
    "GuidelineError",
    "Projection",
    "RatedAppraisal",
    "RaterFigures",
    "Reading",
    "ReviewCell",
    "ReviewResponse",
    "ReviewSummary",
    "Share",
    "ShownGroup",
    "Standing",
    "Weakness",
    "cost_if_met",
    "diagnose",
    "elapsed_share",
    "evaluate",
    "largest_remainder",
    "peer_visible",
    "project_total",
    "rater_bias",
    "self_gap",
    "standings",
    "summarise_reviews",
]
