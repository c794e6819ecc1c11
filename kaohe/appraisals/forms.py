"""Reading what a page posts into the typed inputs the actions take."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from kaohe.metrics import MetricsError, parse_period
from kaohe.org.models import Department
from kaohe.org.policy import Access
from kaohe.widgets import CheckboxesWrittenOut

from . import policy
from .actions import CycleData, InterviewRecord, StepInputs, deadline_problems, parse_points
from .models import Appraisal
from .workflow import STATE_LABELS, WAITS_ON, State

# The stages a deadline can be set for: those that wait on somebody, before the result.
DEADLINE_STAGES = [
    state
    for state in STATE_LABELS
    if state in WAITS_ON and state not in (State.FINALISED, State.APPEAL)
]


def step_inputs(appraisal: Appraisal, posted: Mapping[str, str]) -> StepInputs:
    """The inputs of a step from a page's form fields (``target_<indicator>``,
    ``input_<name>``, ``comment``, ``reason``, ``adjustment``, the interview's fields).
    Raises WorkflowError for points that are not a number."""
    scheme = appraisal.version.scheme()
    targets = {
        indicator.id: posted[f"target_{indicator.id}"]
        for indicator in scheme.indicators()
        if f"target_{indicator.id}" in posted
    }
    ratings = {name: posted[f"input_{name}"] for name in scheme.inputs if f"input_{name}" in posted}
    interview = InterviewRecord(
        strengths=posted.get("strengths", ""),
        improvements=posted.get("improvements", ""),
        actions=posted.get("actions", ""),
        root_cause=posted.get("root_cause", ""),
        causes={
            indicator.id: posted[f"cause_{indicator.id}"]
            for indicator in scheme.indicators()
            if f"cause_{indicator.id}" in posted
        },
    )
    return StepInputs(
        targets=targets,
        ratings=ratings,
        comment=posted.get("comment", ""),
        reason=posted.get("reason", ""),
        adjustment=parse_points(posted.get("adjustment") or "0"),
        interview=interview,
    )


class CycleForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Cycle name"), max_length=200)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        max_length=16,
        help_text=gettext_lazy("e.g. 2026-09, 2026-Q3, 2026-H2 or 2026"),
    )
    departments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Departments in scope (and all below them)"),
        queryset=Department.objects.none(),
        widget=CheckboxesWrittenOut,
    )
    appeal_days = forms.IntegerField(
        label=gettext_lazy("Appeal window (days)"), min_value=1, max_value=90, initial=7
    )

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = policy.departments_for_cycles(access)  # type: ignore[attr-defined]
        for state in DEADLINE_STAGES:
            self.fields[f"deadline_{state}"] = forms.DateField(
                label=STATE_LABELS[state],
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def clean_period(self) -> str:
        try:
            return parse_period(self.cleaned_data["period"]).name
        except MetricsError:
            raise forms.ValidationError(
                gettext_lazy(
                    "Write the period as a month (2026-09), a quarter (2026-Q3), a half year "
                    "(2026-H2) or a year (2026)."
                )
            ) from None

    def cycle_data(self) -> CycleData:
        """The checked form as the cycle action takes it."""
        return CycleData(
            name=self.cleaned_data["name"],
            period=self.cleaned_data["period"],
            departments=list(self.cleaned_data["departments"]),
            appeal_days=self.cleaned_data["appeal_days"],
            deadlines=self.deadlines(),
        )

    def deadlines(self) -> dict[State, date]:
        return {
            state: self.cleaned_data[f"deadline_{state}"]
            for state in DEADLINE_STAGES
            if self.cleaned_data.get(f"deadline_{state}")
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for problem in deadline_problems(self.deadlines()):
            self.add_error(None, problem)
        return cleaned
