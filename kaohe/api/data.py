"""``/api/v1/metrics`` and ``/api/v1/data/batches``: the stored metric values with their
provenance, and what was imported — for whole-organisation HR, as the Data page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from kaohe.data import policy
from kaohe.data.models import DataBatch, MetricRecord, MetricRun
from kaohe.names import person_name
from kaohe.org.policy import access_for

from .pages import Page, PageQuery, each, page_of

router = Router(tags=["data"])


def _data_reader(request: HttpRequest) -> None:
    if not policy.can_open_data_page(access_for(request)):
        raise PermissionDenied(_("Only HR for the whole organisation reads the operational data."))


class MetricFilters(PageQuery):
    period: str = Field(..., description="A period as computed: 2026-09, 2026-Q3, 2026-H2, 2026.")
    subject_type: str = Field("", description="employee, queue, team or org.")
    subject: str = Field("", description="An employee number, a queue or team name.")
    metric: str = Field("", description="A metric of the catalog, e.g. answer_rate.")


class MetricOut(Schema):
    subject_type: str
    subject: str
    metric: str
    value: float | None
    numerator: float | None
    denominator: float | None


class MetricPage(Page[MetricOut]):
    period: str
    computed_at: datetime | None  # the computation these values are from (the latest)
    batches: list[str]  # the import batches it read, as source#seq


@router.get(
    "/metrics",
    response=MetricPage,
    summary="Stored metric values of a period, with numerator, denominator and provenance",
)
def metrics(request: HttpRequest, filters: Query[MetricFilters]) -> Any:
    _data_reader(request)
    run = MetricRun.objects.filter(period=filters.period).first()
    records = MetricRecord.objects.filter(run=run) if run else MetricRecord.objects.none()
    for name in ("subject_type", "subject", "metric"):
        if getattr(filters, name):
            records = records.filter(**{name: getattr(filters, name)})
    ordered = records.order_by("subject_type", "subject", "metric")
    answer = page_of(ordered, filters, each(_metric))
    return {
        **answer,
        "period": filters.period,
        "computed_at": run.computed_at if run else None,
        "batches": [f"{source}#{seq}" for source, seq in run.batches] if run else [],
    }


def _metric(record: MetricRecord) -> MetricOut:
    return MetricOut(
        subject_type=record.subject_type,
        subject=record.subject,
        metric=record.metric,
        value=record.value,
        numerator=record.numerator,
        denominator=record.denominator,
    )


class BatchOut(Schema):
    id: str  # source#seq, as metric computations name it
    source: str
    seq: int
    file_name: str
    checksum: str
    rows_read: int
    new: int
    replaced: int
    unchanged: int
    rejected: int
    imported_by: str
    imported_at: datetime


class BatchFilters(PageQuery):
    source: str = Field("", description="calls, tickets, surveys, accounts, visits, qa…")


@router.get("/data/batches", response=Page[BatchOut], summary="What was imported, newest first")
def batches(request: HttpRequest, filters: Query[BatchFilters]) -> Any:
    _data_reader(request)
    found = DataBatch.objects.select_related("imported_by")
    if filters.source:
        found = found.filter(source=filters.source)
    return page_of(found.order_by("-imported_at", "-id"), filters, each(_batch))


def _batch(batch: DataBatch) -> BatchOut:
    return BatchOut(
        id=f"{batch.source}#{batch.seq}",
        source=batch.source,
        seq=batch.seq,
        file_name=batch.file_name,
        checksum=batch.checksum,
        rows_read=batch.rows_read,
        new=batch.accepted,
        replaced=batch.replaced,
        unchanged=batch.unchanged,
        rejected=batch.rejected,
        imported_by=person_name(batch.imported_by),
        imported_at=batch.imported_at,
    )
