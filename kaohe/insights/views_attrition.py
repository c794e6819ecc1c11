"""The attrition pages: the model (its figures, the training, the fairness check), the
people at risk in the reader's scope, and one person's risk with its reasons. HR and the
executive viewer only; every answer asks ``policy``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.i18n import current_lang
from kaohe.ml.attrition import HORIZONS, feature_name
from kaohe.org.models import Employee
from kaohe.org.policy import access_for, requires
from kaohe.uploads import UploadRefused, remove_upload, save_upload

from . import policy
from .actions_attrition import (
    TrainingRequest,
    do_clear_protected_attributes,
    do_import_protected_attributes,
    do_request_attrition_training,
)
from .attrition_features import FEATURES
from .attrition_summary import band_label, figures, in_language, model_label, percent, reasons
from .models import AttritionModel, AttritionScore, ProtectedAttribute

Status = AttritionModel.Status


class TrainingForm(forms.Form):
    horizon_months = forms.TypedChoiceField(
        label=gettext_lazy("Horizon"),
        coerce=int,
        initial=6,
        choices=[(h, h) for h in HORIZONS],
        help_text=gettext_lazy("The risk is of resigning within this many months."),
    )
    left_out = forms.MultipleChoiceField(
        label=gettext_lazy("Leave out"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Features the model should not use, e.g. one refused as a proxy."),
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        lang = current_lang()
        self.fields["left_out"].choices = [(f, feature_name(f)(lang)) for f in FEATURES]  # type: ignore[attr-defined]


@requires(policy.can_see_attrition_risk)
def model_page(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    shown, pending = AttritionModel.objects.shown(), AttritionModel.objects.pending()
    context = {
        "run": shown,
        "pending": pending,
        "message": in_language(shown.message) if shown else "",
        "figures": figures(shown) if shown is not None and shown.status == Status.TRAINED else None,
        "chosen_label": model_label(shown.chosen) if shown else "",
        "can_train": policy.can_train_attrition_model(access),
        "can_import": policy.can_import_protected_attributes(access),
        "form": TrainingForm(initial={"left_out": shown.left_out if shown else []}),
        "attributes_imported": ProtectedAttribute.objects.values("employee").distinct().count(),
    }
    if request.htmx:
        response = render(request, "insights/attrition/model.html#status", context)
        if pending is None:  # the training it followed has finished: show its figures
            response["HX-Refresh"] = "true"
        return response
    return render(request, "insights/attrition/model.html", context)


@require_POST
@requires(policy.can_train_attrition_model)
def train(request: HttpRequest) -> HttpResponse:
    form = TrainingForm(request.POST)
    if form.is_valid():
        wanted = TrainingRequest(
            horizon_months=form.cleaned_data["horizon_months"],
            left_out=tuple(form.cleaned_data["left_out"]),
        )
        try:
            do_request_attrition_training(request.user, wanted)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The training has started; this page follows it."))
    else:
        wrong = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, _("The training was not started: %s") % " ".join(wrong))
    return redirect("attrition-model")


def _scores(request: HttpRequest, shown: AttritionModel | None) -> Any:
    if shown is None or shown.status != Status.TRAINED:
        return AttritionScore.objects.none()
    visible = policy.attrition_people(access_for(request), Employee.objects.all())
    return AttritionScore.objects.filter(model=shown, employee__in=visible).select_related(
        "employee__department", "employee__position"
    )


@requires(policy.can_see_attrition_risk)
def people(request: HttpRequest) -> HttpResponse:
    shown = AttritionModel.objects.shown()
    found = _scores(request, shown)
    band = request.GET.get("band", "")
    search = request.GET.get("q", "").strip()
    if band in ("high", "medium", "low"):
        found = found.filter(band=band)
    if search:
        found = found.filter(
            Q(employee__name__icontains=search) | Q(employee__number__icontains=search)
        )
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    rows = [
        {"score": s, "percent": percent(s.score), "band": band_label(s.band), "reasons": reasons(s)}
        for s in page
    ]
    context = {
        "run": shown,
        "message": in_language(shown.message) if shown else "",
        "page": page,
        "rows": rows,
        "band": band,
        "search": search,
        "query": "&".join(f"{k}={v}" for k, v in (("band", band), ("q", search)) if v),
    }
    if request.htmx:
        return render(request, "insights/attrition/people.html#results", context)
    return render(request, "insights/attrition/people.html", context)


@requires(policy.can_see_attrition_risk)
def person(request: HttpRequest, number: str) -> HttpResponse:
    access = access_for(request)
    employee = (
        Employee.objects.select_related("department", "position").filter(number=number).first()
    )
    if employee is None or not access.can_view_employee(employee):
        raise Http404
    if not policy.may_see_attrition_of(access, employee):
        raise PermissionDenied
    shown = AttritionModel.objects.shown()
    score = _scores(request, shown).filter(employee=employee).first()
    context = {
        "person": employee,
        "run": shown,
        "message": in_language(shown.message) if shown else "",
        "score": score,
        "percent": percent(score.score) if score else "",
        "band": band_label(score.band) if score else "",
        "reasons": reasons(score) if score else [],
    }
    response = render(request, "insights/attrition/person.html", context)
    response["Cache-Control"] = "no-store"
    return response


@requires(policy.can_import_protected_attributes)
def attributes(request: HttpRequest) -> HttpResponse:
    """HR's import of the protected attributes, for the fairness and proxy checks only."""
    context: dict[str, object] = {
        "imported": ProtectedAttribute.objects.values("employee").distinct().count()
    }
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            context["error"] = _("Choose a CSV or XLSX file first.")
        else:
            try:
                saved = save_upload(uploaded)
            except UploadRefused as refused:
                context["error"] = str(refused)
            else:
                found = do_import_protected_attributes(request.user, saved.path, saved.name)
                remove_upload(saved.path.name)
                if not found.problems:
                    done = _("Imported the protected attributes of %(count)d people.")
                    messages.success(request, done % {"count": found.people})
                    return redirect("attrition-attributes")
                context["problems"] = found.problems
    return render(request, "insights/attrition/attributes.html", context)


@require_POST
@requires(policy.can_import_protected_attributes)
def attributes_clear(request: HttpRequest) -> HttpResponse:
    do_clear_protected_attributes(request.user)
    messages.success(request, _("Every imported protected attribute has been removed."))
    return redirect("attrition-attributes")
