"""Saved what-if runs: a changed scheme tried on a cycle, kept to reopen and export.

A run itself writes nothing; saving one keeps what it needs to be run again — the cycle,
the scheme version it replaced and the changed text — with who saved it, when, over which
departments, and the summary figures as they were then. Reopening runs it again on the
cycle's data as it is by then.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.appraisals.models import Cycle
from kaohe.schemes.models import SchemeVersion

__all__ = ["SavedWhatIf", "WhatIfRun"]


class SavedWhatIf(models.Model):
    name = models.CharField(_("name"), max_length=200)
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    # The cycle's scheme the changed text stands in for: its people are scored again.
    replaced = models.ForeignKey(SchemeVersion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("changed scheme (YAML)"))
    # The departments the saver's HR scope covered (ids, with those below them); None for
    # the whole organisation. Only HR whose scope holds them all opens the run.
    scope = models.JSONField(null=True, blank=True)
    summary = models.JSONField(_("summary figures"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(_("saved at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved what-if")
        verbose_name_plural = _("saved what-ifs")

    def __str__(self) -> str:
        return self.name


class WhatIfRun(models.Model):
    """A run too long for a request, made by a background task that reports its progress
    here and keeps its people here for the result page to page through. Its reader's, for
    a day; nothing else reads it."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    replaced = models.ForeignKey(SchemeVersion, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)  # the run, as ``jobs.as_data`` keeps it
    # When it runs a saved what-if again: the result page is that run's.
    saved = models.ForeignKey(SavedWhatIf, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
