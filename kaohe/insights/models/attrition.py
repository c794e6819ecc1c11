"""The attrition section's models: each training of the model with its figures, the risk
scores it gave, and the protected attributes HR imported for the fairness and proxy
checks (see its views and docs/insights.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.org.models import Employee

__all__ = ["AttritionModel", "AttritionScore", "ProtectedAttribute"]


class AttritionModelQuerySet(models.QuerySet["AttritionModel"]):
    def shown(self) -> AttritionModel | None:
        """The latest finished training: its scores are shown if it trained, none otherwise
        (a newer history with too few leavers withdraws the older model's guesses)."""
        return self.filter(status__in=AttritionModel.FINISHED).defer("artifact").first()

    def pending(self) -> AttritionModel | None:
        return self.exclude(status__in=AttritionModel.FINISHED).defer("artifact").first()


class AttritionModel(models.Model):
    """One training: asked for by HR, run by a task, then the model and its figures — or
    why there is none (too little history, a refused feature, a failure)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Training")
        TRAINED = "trained", _("Trained")
        TOO_LITTLE_HISTORY = "too_little", _("Too little history")
        REFUSED = "refused", _("Refused a feature")
        FAILED = "failed", _("Failed")

    FINISHED = (Status.TRAINED, Status.TOO_LITTLE_HISTORY, Status.REFUSED, Status.FAILED)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(_("scored as of"))
    horizon_months = models.PositiveSmallIntegerField(_("horizon (months)"), default=6)
    left_out = models.JSONField(_("features left out"), default=list, blank=True)
    # Why there are no scores, in both languages: {"zh": …, "en": …}.
    message = models.JSONField(null=True, blank=True)
    leavers = models.PositiveIntegerField(default=0)  # people who resigned in the history
    people = models.PositiveIntegerField(default=0)
    snapshots = models.PositiveIntegerField(default=0)
    chosen = models.CharField(max_length=16, blank=True)  # logistic or boosting
    # Both candidates' validation, the split, the features, the logistic coefficients, the
    # proxy checks: everything the model's page shows (see kaohe.insights.attrition_store).
    summary = models.JSONField(default=dict, blank=True)
    fairness = models.JSONField(default=list, blank=True)  # per attribute, groups' means
    # The fitted model itself (TrainedModel.to_bytes), so a score can be reproduced.
    artifact = models.BinaryField(null=True, blank=True, editable=False)

    objects = AttritionModelQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("attrition model")
        verbose_name_plural = _("attrition models")

    def __str__(self) -> str:
        return f"attrition model {self.pk} ({self.status}, {self.as_of})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED


class AttritionScore(models.Model):
    """One person's risk from one model: the probability of resigning within the horizon,
    its band and the factors that raise it, each a sentence in both languages."""

    model = models.ForeignKey(AttritionModel, on_delete=models.CASCADE, related_name="scores")
    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    band = models.CharField(max_length=8)  # high, medium, low
    # [{"feature", "value", "contribution", "zh", "en"}], the strongest first.
    factors = models.JSONField(default=list)

    class Meta:
        ordering = ["-score", "employee__number"]
        constraints = [
            models.UniqueConstraint(fields=["model", "employee"], name="one_score_per_model")
        ]

    def __str__(self) -> str:
        return f"{self.employee} {self.score:.2f}"


class ProtectedAttribute(models.Model):
    """A protected attribute of a person (sex, age band, …), imported by HR for the whole
    organisation. Read ONLY by the proxy check and the fairness report, which see groups,
    never a person: no page, export or API answer shows it for anyone."""

    employee = models.ForeignKey(Employee, on_delete=models.CASCADE, related_name="+")
    attribute = models.CharField(max_length=16)  # a key of kaohe.ml.attrition.PROTECTED
    value = models.CharField(max_length=32)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "attribute"], name="one_value_per_protected_attribute"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attribute} of {self.employee_id}"  # never the value
