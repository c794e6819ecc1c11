"""kaohe's operational data: sources, the Parquet lake, the business calendar and KPIs.

Pure Python with DuckDB and PyArrow; no Django, no settings and no clock of its own: the
caller passes the time zone, "now", DuckDB's memory limit and the language of reports in
``ImportOptions`` and ``CatalogOptions``. The web app records batches and stores the
computed values; everything about reading, checking and computing lives here. The
sentiment of transcripts and survey comments is scored at import by whatever scorer the
caller passes in ``ImportOptions.sentiment`` (this package loads no model). Messages
for people (``MetricsError.text``, ``RowProblem.reason``) are ``kaohe.core.Text``, in
Chinese and English.
"""

from ._advice import (
    ADVICE_FIGURES,
    advice_figures,
    advice_quarters,
    figure_value,
    latest_record,
)
from ._calendar import BusinessCalendar
from ._catalog import (
    AGENT_QUEUES,
    CatalogOptions,
    MetricValue,
    call_sentiment,
    compute,
    metric_names,
)
from ._errors import ImportRefused, MetricsError, RowProblem
from ._ingest import ImportOptions, arrow_schema, import_file
from ._lake import BatchInfo, Lake, LakeFinding
from ._periods import Period, parse_period
from ._report import REPORT_LINES, SHOWN_PROBLEMS
from ._scoring import Scorer
from ._sentiment import CallSentiment
from ._sources import SOURCES, Column, Kind, Source
from ._synthetic import Counts, Staff, generate, sources_in_order

__all__ = [
    "ADVICE_FIGURES",
    "AGENT_QUEUES",
    "REPORT_LINES",
    "SHOWN_PROBLEMS",
    "SOURCES",
    "BatchInfo",
    "BusinessCalendar",
    "CallSentiment",
    "CatalogOptions",
    "Column",
    "Counts",
    "ImportOptions",
    "ImportRefused",
    "Kind",
    "Lake",
    "LakeFinding",
    "MetricValue",
    "MetricsError",
    "Period",
    "RowProblem",
    "Scorer",
    "Source",
    "Staff",
    "advice_figures",
    "advice_quarters",
    "arrow_schema",
    "call_sentiment",
    "compute",
    "figure_value",
    "generate",
    "import_file",
    "latest_record",
    "metric_names",
    "parse_period",
    "sources_in_order",
]
