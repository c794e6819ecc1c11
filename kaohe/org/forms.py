from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .actions import Leaving, PersonData
from .models import Department, Employee, LeavingReason, Position
from .policy import Access


class PersonForm(forms.Form):
    number = forms.CharField(label=_("Employee number"), max_length=32)
    name = forms.CharField(label=_("Name"), max_length=100)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), empty_label=_("— choose —")
    )
    position = forms.ModelChoiceField(
        label=_("Position"), queryset=Position.objects.all(), empty_label=_("— choose —")
    )
    manager_number = forms.CharField(
        label=_("Manager's employee number"),
        max_length=32,
        required=False,
        help_text=_("Leave empty for someone without a manager in kaohe."),
    )
    hire_date = forms.DateField(
        label=_("Hire date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    email = forms.EmailField(label=_("Email"), required=False)
    username = forms.CharField(
        label=_("Sign-in name"),
        max_length=150,
        required=False,
        help_text=_("The account this person signs in with; created without a password if new."),
    )

    def __init__(self, *args: Any, access: Access, employee: Employee | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.employee = employee
        self.fields["department"].queryset = access.departments_in_scope()  # type: ignore[attr-defined]

    def clean_number(self) -> str:
        number = self.cleaned_data["number"].strip()
        clash = Employee.objects.filter(number=number)
        if self.employee is not None:
            clash = clash.exclude(pk=self.employee.pk)
        if clash.exists():
            raise forms.ValidationError(_("Another person already has this employee number."))
        return number

    def clean_manager_number(self) -> Employee | None:
        number = self.cleaned_data["manager_number"].strip()
        if not number:
            return None
        manager = Employee.objects.filter(number=number).first()
        if manager is None:
            raise forms.ValidationError(
                _("No one has the employee number %(number)s.") % {"number": number}
            )
        if not manager.active:
            raise forms.ValidationError(
                _("%(name)s has been deactivated.") % {"name": manager.name}
            )
        return manager

    def person_data(self) -> PersonData:
        data = self.cleaned_data
        return PersonData(
            number=data["number"],
            name=data["name"].strip(),
            department=data["department"],
            position=data["position"],
            manager=data["manager_number"],
            hire_date=data["hire_date"],
            email=data["email"],
            username=data["username"],
        )

    @classmethod
    def initial_for(cls, employee: Employee) -> dict[str, Any]:
        return {
            "number": employee.number,
            "name": employee.name,
            "department": employee.department_id,
            "position": employee.position_id,
            "manager_number": employee.manager.number if employee.manager else "",
            "hire_date": employee.hire_date,
            "email": employee.email,
            "username": employee.user.get_username() if employee.user else "",
        }


class DeactivateForm(forms.Form):
    leaving_reason = forms.ChoiceField(
        label=_("Leaving reason"),
        choices=[("", _("— choose —")), *LeavingReason.choices],
        help_text=_(
            "Resigned is the person's own decision; a transfer within the group is not "
            "leaving. The attrition risk model learns from resignations only."
        ),
    )
    leaving_date = forms.DateField(
        label=_("Leaving date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The last day of work."),
    )
    reason = forms.CharField(
        label=_("Note"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log."),
    )

    def leaving(self) -> Leaving:
        data = self.cleaned_data
        return Leaving(
            reason=LeavingReason(data["leaving_reason"]),
            on=data["leaving_date"],
            note=data["reason"].strip(),
        )
