"""kaohe's operational data: sources, the Parquet lake, the business calendar and KPIs.

Pure Python with DuckDB and PyArrow; no Django. The web app records batches and stores the
computed values; everything about reading, checking and computing lives here.
"""

from ._calendar import BusinessCalendar
from ._catalog import CatalogOptions, MetricValue, compute
from ._errors import ImportRefused, MetricsError, RowProblem
from ._ingest import ImportOptions, arrow_schema, import_file
from ._lake import BatchInfo, Lake
from ._periods import Period, parse_period
from ._sources import SOURCES, Column, Kind, Source

__all__ = [
    "SOURCES",
    "BatchInfo",
    "BusinessCalendar",
    "CatalogOptions",
    "Column",
    "ImportOptions",
    "ImportRefused",
    "Kind",
    "Lake",
    "MetricValue",
    "MetricsError",
    "Period",
    "RowProblem",
    "Source",
    "arrow_schema",
    "compute",
    "import_file",
    "parse_period",
]
