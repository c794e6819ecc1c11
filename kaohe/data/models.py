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
