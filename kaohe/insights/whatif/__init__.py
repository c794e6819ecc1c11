"""The what-if simulator: a cycle's appraisals scored again with one of its schemes
changed, without writing anything, beside their current results.

- ``inputs``: what a run reads of the appraisals, in bulk;
- ``run``: the scoring, person by person, through the core;
- ``summary``: the figures before the people (moves, distribution, pay per department);
- ``service``: what the pages, the API and the actions ask (schemes, reading the change,
  runs kept for paging, filtering and sorting);
- ``exports``: a run as XLSX or CSV.
"""

from .run import DOWN, SAME, UNSCORED, UP, Figures, Row, Run, simulate
from .service import (
    MOVEMENTS,
    SORTS,
    Changed,
    SchemeChoice,
    WhatIfRefused,
    chosen_rows,
    find_scheme,
    is_kept,
    read_change,
    run_whatif,
    schemes_of,
)
from .summary import DepartmentPay, GradeCount, Summary, summarise

__all__ = [
    "DOWN",
    "MOVEMENTS",
    "SAME",
    "SORTS",
    "UNSCORED",
    "UP",
    "Changed",
    "DepartmentPay",
    "Figures",
    "GradeCount",
    "Row",
    "Run",
    "SchemeChoice",
    "Summary",
    "WhatIfRefused",
    "chosen_rows",
    "find_scheme",
    "is_kept",
    "read_change",
    "run_whatif",
    "schemes_of",
    "simulate",
    "summarise",
]
