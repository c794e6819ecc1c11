"""Records of the data lake's import batches, the calendar's overrides, stored metric
values, the Data page's background checks and imports, and the answers kept for pushes that
came with an Idempotency-Key."""

from __future__ import annotations

from datetime import datetime, timedelta

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
    # The sentiment model that scored the batch's texts (transcripts, survey comments); empty
    # for a source without texts, and for texts imported while the model was missing.
    sentiment_model = models.CharField(_("sentiment model"), max_length=100, blank=True)
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


class ImportJobQuerySet(models.QuerySet["ImportJob"]):
    def running(self) -> ImportJobQuerySet:
        return self.filter(stage__in=ImportJob.RUNNING)

    def fail_abandoned(self, now: datetime) -> int:
        """Jobs whose process died: running, and not a word of progress for an hour (a
        running job writes its progress every second or so)."""
        return (
            self.running()
            .filter(updated_at__lt=now - ABANDONED_AFTER)
            .update(stage=ImportJob.Stage.FAILED, error=INTERRUPTED, updated_at=now)
        )


ABANDONED_AFTER = timedelta(hours=1)
INTERRUPTED = {
    "zh": "处理中断（服务器在处理时重启了）；请重新上传文件",
    "en": "Interrupted (the server restarted while working on it); upload the file again",
}


class ImportJob(models.Model):
    """One file on the Data page: checked in the background (nothing written), then, once
    the user confirms, imported in the background, with its progress and outcome."""

    class Stage(models.TextChoices):
        CHECKING = "checking", _("checking")
        CHECKED = "checked", _("checked")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    RUNNING = (Stage.CHECKING, Stage.IMPORTING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("who")
    )
    source = models.CharField(_("source"), max_length=32)
    file_name = models.CharField(_("file"), max_length=255)
    upload = models.CharField(_("uploaded file"), max_length=64)  # its name in UPLOADS_DIR
    quarantine = models.BooleanField(_("quarantine bad rows"), default=False)
    lang = models.CharField(_("language"), max_length=2, default="zh")  # of the report file
    stage = models.CharField(_("stage"), max_length=16, choices=Stage, default=Stage.CHECKING)
    rows_read = models.BigIntegerField(_("rows read"), default=0)
    share = models.FloatField(_("share of the file read"), null=True, blank=True)
    # Counts of the check, then of the import: rows_read, accepted, replaced, unchanged,
    # rejected, unknown_employees (number → rows), report_file, quarantine_file.
    result = models.JSONField(_("result"), default=dict, blank=True)
    # The first problems: [{"line", "field", "zh", "en"}], and how many there were.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    problem_total = models.PositiveIntegerField(_("problems found"), default=0)
    error = models.JSONField(_("error"), null=True, blank=True)  # {"zh", "en"}
    batch = models.ForeignKey(
        DataBatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["stage", "updated_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.file_name} ({self.stage})"

    @property
    def is_running(self) -> bool:
        return self.stage in self.RUNNING

    @property
    def refused(self) -> bool:
        return self.problem_total > 0 and not self.quarantine

    @property
    def has_news(self) -> bool:
        return bool(self.result.get("accepted") or self.result.get("replaced"))

    def can_be_imported(self) -> bool:
        return self.stage == self.Stage.CHECKED and not self.refused and self.has_news


class DataPush(models.Model):
    """A data push made with an ``Idempotency-Key``: its body's digest and the answer it
    got, so that a retry with the same key and body gets the same answer and writes
    nothing. ``status`` 0 while the push is under way."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    source = models.CharField(max_length=32)
    body_digest = models.CharField(max_length=100)  # the source, a colon and a SHA-256
    status = models.PositiveSmallIntegerField(default=0)
    answer = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="one_push_per_key")]
