"""Reading what the calibration pages post into the typed inputs the actions take."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from kaohe.analytics import DEFAULT_MINIMUM_POPULATION
from kaohe.names import person_name
from kaohe.org.models import Position
from kaohe.org.policy import Access
from kaohe.widgets import CheckboxesWrittenOut

from . import policy
from .actions import GuidelineInput, SessionData

GUIDELINE_HELP = gettext_lazy(
    "Per grade a range or a single target share in per cent, e.g. “A 10-20, B 20-30, "
    "C 30-50, D 5-15, E 0-10” or “A 20, B 70, C 10, D 0, E 0”."
)


class GuidelineForm(forms.Form):
    guideline = forms.CharField(
        label=gettext_lazy("Distribution guideline"),
        required=False,
        max_length=300,
        help_text=GUIDELINE_HELP,
    )
    enforced = forms.BooleanField(
        label=gettext_lazy(
            "Enforce it: the session cannot close while the guideline is broken (some "
            "jurisdictions restrict forced distribution; advisory is the default)"
        ),
        required=False,
    )
    minimum_population = forms.IntegerField(
        label=gettext_lazy("Enforce only for populations of at least"),
        min_value=1,
        max_value=100000,
        initial=DEFAULT_MINIMUM_POPULATION,
    )

    def guideline_input(self) -> GuidelineInput | None:
        text = self.cleaned_data.get("guideline", "").strip()
        if not text:
            return None
        return GuidelineInput(
            text=text,
            enforced=self.cleaned_data.get("enforced", False),
            minimum_population=self.cleaned_data.get("minimum_population")
            or DEFAULT_MINIMUM_POPULATION,
        )


class SessionForm(GuidelineForm):
    name = forms.CharField(label=gettext_lazy("Session name"), max_length=200)
    cycle = forms.TypedChoiceField(label=gettext_lazy("Cycle"), coerce=int)
    departments = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Departments (and all below them); none: the whole cycle"),
        coerce=int,
        required=False,
        widget=CheckboxesWrittenOut,
    )
    positions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Positions; none: every position"),
        queryset=Position.objects.order_by("name"),
        required=False,
        widget=CheckboxesWrittenOut,
    )
    facilitator = forms.TypedChoiceField(
        label=gettext_lazy("Facilitator"), coerce=int, required=False
    )
    participants = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Participants (department heads): they see the people in this "
                           "session and only them"),
        coerce=int,
        required=False,
        widget=CheckboxesWrittenOut,
    )  # fmt: skip

    field_order = ["name", "cycle", "departments", "positions", "facilitator", "participants"]

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields[
            "guideline"
        ].help_text = (
            f"{GUIDELINE_HELP} {gettext_lazy('Left empty: the cycle’s guideline, if it has one.')}"
        )
        self.fields["cycle"].choices = [
            (c.pk, f"{c.name} · {c.period}") for c in policy.cycles_to_calibrate(access)
        ]
        self.fields["departments"].choices = [
            (d.pk, d.name) for d in policy.departments_to_calibrate(access)
        ]
        people = [(user.pk, person_name(user)) for user in policy.possible_participants()]
        self.fields["facilitator"].choices = [("", gettext_lazy("— me —")), *people]
        self.fields["participants"].choices = people

    def session_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            cycle_id=data["cycle"],
            name=data["name"],
            department_ids=tuple(data["departments"]),
            position_ids=tuple(p.pk for p in data["positions"]),
            facilitator_id=data.get("facilitator") or None,
            participant_ids=tuple(data["participants"]),
            guideline=self.guideline_input(),
        )
