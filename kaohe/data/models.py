"""Records of the data lake's import batches, and the calendar's overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DataBatch(models.Model):
    """One import into the lake: what came in, what it changed, who brought it."""

    source = models.CharField(_("source"), max_length=32, db_index=True)
    seq = models.PositiveIntegerField(_("batch"))
    file_name = models.CharField(_("file"), max_length=255)
    checksum = models.CharField(_("checksum"), max_length=64)
    parquet_file = models.CharField(_("lake file"), max_length=255, blank=True)
    rows_read = models.PositiveIntegerField(_("rows read"), default=0)
    accepted = models.PositiveIntegerField(_("new"), default=0)
    replaced = models.PositiveIntegerField(_("replaced"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected"), default=0)
    unknown_employees = models.JSONField(_("unknown employees"), default=dict, blank=True)
    report_file = models.CharField(_("problem report"), max_length=500, blank=True)
    quarantine_file = models.CharField(_("quarantine file"), max_length=500, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at", "-id"]
        verbose_name = _("data batch")
        verbose_name_plural = _("data batches")
        constraints = [
            models.UniqueConstraint(fields=["source", "seq"], name="one_record_per_lake_batch")
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.seq} {self.file_name}"


class CalendarDay(models.Model):
    """A day whose working status differs from the statutory calendar, or that the statutory
    package does not know yet (a year not yet published, a company day off)."""

    day = models.DateField(_("day"), unique=True)
    workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.day} {'workday' if self.workday else 'day off'}"


class MetricRun(models.Model):
    """One computation of a period's metrics, and the batches it read (its provenance)."""

    period = models.CharField(_("period"), max_length=16, db_index=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)
    batches = models.JSONField(_("batches read"), default=list)  # [[source, seq], …]

    class Meta:
        ordering = ["-computed_at", "-id"]
        verbose_name = _("metric computation")
        verbose_name_plural = _("metric computations")

    def __str__(self) -> str:
        return f"{self.period} @ {self.computed_at:%Y-%m-%d %H:%M}"


class MetricRecordQuerySet(models.QuerySet["MetricRecord"]):
    def latest_for(self, period: str) -> MetricRecordQuerySet:
        """The values of the period's most recent computation."""
        run = MetricRun.objects.filter(period=period).first()
        return self.filter(run=run) if run is not None else self.none()


class MetricRecord(models.Model):
    run = models.ForeignKey(MetricRun, on_delete=models.CASCADE, related_name="records")
    subject_type = models.CharField(_("subject type"), max_length=16)
    subject = models.CharField(_("subject"), max_length=64)
    metric = models.CharField(_("metric"), max_length=64)
    value = models.FloatField(_("value"), null=True)
    numerator = models.FloatField(_("numerator"), null=True)
    denominator = models.FloatField(_("denominator"), null=True)

    objects = MetricRecordQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["run", "subject_type", "subject", "metric"], name="one_value_per_run"
            )
        ]
        indexes = [models.Index(fields=["subject", "metric"])]
        verbose_name = _("metric value")
        verbose_name_plural = _("metric values")

    def __str__(self) -> str:
        return f"{self.subject_type}:{self.subject} {self.metric}={self.value}"
