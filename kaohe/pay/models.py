"""What the pay list needs beyond the results: HR's budgets, and a record of every export
(which result version of whom it held), so that an export an appeal has since changed can
be shown as superseded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.appraisals.models import Cycle
from kaohe.org.models import Department


class PayBudget(models.Model):
    """The performance-pay budget HR sets for a department in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="pay_budgets")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("budget"), max_digits=14, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "department"], name="one_budget_per_department"
            )
        ]


class PayExport(models.Model):
    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    cycle = models.ForeignKey(Cycle, on_delete=models.PROTECT, related_name="pay_exports")
    format = models.CharField(max_length=8, choices=Format.choices)
    language = models.CharField(max_length=8)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)
    with_pay = models.BooleanField(default=True)
    rows = models.PositiveIntegerField()
    # Appraisal id → the result version the export held.
    versions = models.JSONField(default=dict)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
