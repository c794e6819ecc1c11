"""``/api/v1/insights/attrition/…``: the attrition model's trainings and the risk scores,
as the Attrition pages show them — HR (the people in their scope, never someone they
manage) and the executive viewer (everyone) only; nobody reads their own risk. The
protected attributes HR imported are never in any answer: only the fairness report's
group means, as on the model's page."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kaohe.i18n import current_lang
from kaohe.insights import policy
from kaohe.insights.actions_attrition import TrainingRequest, do_request_attrition_training
from kaohe.insights.attrition_features import FEATURES
from kaohe.insights.models import AttritionModel, AttritionScore
from kaohe.org.models import Employee
from kaohe.org.policy import access_for

from .errors import ValidationProblem
from .pages import Page, PageQuery, each, page_of

router = Router(tags=["insights"])
Band = Literal["high", "medium", "low"]


class BinOut(Schema):
    low: float
    high: float
    count: int
    predicted: float  # the mean predicted risk of the snapshots in the bin
    observed: float  # the share of them that resigned


class ValidationOut(Schema):
    model: str  # logistic (the baseline) or boosting (the challenger)
    auc: float
    brier: float
    bins: list[BinOut]


class GroupOut(Schema):
    group: str
    size: int
    mean: float | None  # null when the group is too small to compare


class FairnessOut(Schema):
    attribute: str  # sex, age, marital_status, …
    groups: list[GroupOut]
    ratio: float | None  # the lowest group mean over the highest
    gap: float | None
    note: str | None  # why there is no comparison, in the requested language


class AttritionModelOut(Schema):
    id: int
    status: str  # queued, running, trained, too_little, refused, failed
    requested_at: str
    as_of: date
    horizon_months: int
    left_out: list[str]
    message: str  # why there are no scores, in the requested language; "" otherwise
    leavers: int
    people: int
    snapshots: int
    chosen: str  # the model used: logistic or boosting
    validations: list[ValidationOut]
    split: dict[str, Any]
    fairness: list[FairnessOut]


def model_out(run: AttritionModel) -> AttritionModelOut:
    lang = current_lang()
    summary = run.summary or {}
    return AttritionModelOut(
        id=run.pk, status=run.status, requested_at=run.requested_at.isoformat(), as_of=run.as_of,
        horizon_months=run.horizon_months, left_out=run.left_out,
        message=(run.message or {}).get(lang, ""), leavers=run.leavers, people=run.people,
        snapshots=run.snapshots, chosen=run.chosen,
        validations=[ValidationOut(**v) for v in summary.get("validations", [])],
        split=summary.get("split", {}),
        fairness=[FairnessOut(**{**row, "note": (row["note"] or {}).get(lang)})
                  for row in run.fairness or []],
    )  # fmt: skip


def _reader(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_see_attrition_risk(access):
        raise PermissionDenied(_("Only HR and the executive viewer read attrition risk."))
    return access


class ModelFilters(PageQuery):
    pass


@router.get(
    "/insights/attrition/models",
    response=Page[AttritionModelOut],
    summary="The attrition model's trainings, newest first",
    description="HR and the executive viewer; the first finished one is the model whose "
    "scores are shown. A training with too little history, a refused feature or a failure "
    "says why in `message` and has no scores.",
)
def models(request: HttpRequest, filters: Query[ModelFilters]) -> Any:
    _reader(request)
    return page_of(AttritionModel.objects.defer("artifact"), filters, each(model_out))


@router.get(
    "/insights/attrition/models/{model_id}",
    response=AttritionModelOut,
    url_name="attrition-model",
    summary="One training of the attrition model: its validation, calibration and fairness",
)
def model(request: HttpRequest, model_id: int) -> Any:
    _reader(request)
    found = AttritionModel.objects.defer("artifact").filter(pk=model_id).first()
    if found is None:
        raise Http404
    return model_out(found)


class TrainingIn(Schema):
    horizon_months: int = Field(6, description="The risk is of resigning within 3 to 6 months.")
    left_out: list[str] = Field(default_factory=list, description="Features not to use.")


class TrainingOut(Schema):
    id: int
    status: str
    target: str  # where to follow it


@router.post(
    "/insights/attrition/models",
    response={202: TrainingOut},
    summary="Train the attrition model again (HR for the whole organisation)",
    description="Queued for the task worker; follow it at `target` until its status is "
    f"trained, too_little, refused or failed. Features: {', '.join(FEATURES)}.",
)
def train(request: HttpRequest, body: TrainingIn) -> Any:
    if not policy.can_train_attrition_model(access_for(request)):
        raise PermissionDenied(_("Only HR for the whole organisation trains the model."))
    try:
        made = do_request_attrition_training(
            request.user, TrainingRequest(body.horizon_months, tuple(body.left_out))
        )
    except ValidationError as error:
        raise ValidationProblem([
            {"field": name, "in": "body", "reason": " ".join(reasons)}
            for name, reasons in error.message_dict.items()
        ]) from None  # fmt: skip
    target = reverse("api-v1:attrition-model", kwargs={"model_id": made.pk})
    return Status(202, TrainingOut(id=made.pk, status=made.status, target=target))


class ReasonOut(Schema):
    feature: str
    text: str  # one sentence, in the requested language


class RiskOut(Schema):
    number: str
    name: str
    department: str
    risk_percent: int  # the chance of resigning within the horizon, rounded
    band: Band
    reasons: list[ReasonOut]
    as_of: date
    model_id: int


def risk_out(score: AttritionScore) -> RiskOut:
    lang = current_lang()
    return RiskOut(
        number=score.employee.number, name=score.employee.name,
        department=score.employee.department.path, risk_percent=round(score.score * 100),
        band=score.band,  # type: ignore[arg-type]
        reasons=[ReasonOut(feature=f["feature"], text=f.get(lang, f["en"])) for f in score.factors],
        as_of=score.model.as_of, model_id=score.model_id,
    )  # fmt: skip


def _scores(request: HttpRequest) -> Any:
    access = _reader(request)
    shown = AttritionModel.objects.shown()
    if shown is None or shown.status != AttritionModel.Status.TRAINED:
        return AttritionScore.objects.none()
    visible = policy.attrition_people(access, Employee.objects.all())
    return AttritionScore.objects.filter(model=shown, employee__in=visible).select_related(
        "employee__department", "model"
    )


class RiskFilters(PageQuery):
    band: Literal["", "high", "medium", "low"] = Field("", description="Only this band.")


@router.get(
    "/insights/attrition/scores",
    response=Page[RiskOut],
    summary="The people at risk whom the caller may see, the highest risk first",
    description="From the latest finished training, if it trained (none otherwise). HR "
    "sees the people in their scope except those they manage, the executive viewer "
    "everyone; nobody is listed to themselves. Never acted on automatically.",
)
def scores(request: HttpRequest, filters: Query[RiskFilters]) -> Any:
    found = _scores(request)
    if filters.band:
        found = found.filter(band=filters.band)
    return page_of(found, filters, each(risk_out))


@router.get(
    "/insights/attrition/scores/{number}",
    response=RiskOut,
    summary="One person's attrition risk with its reasons",
    description="403 for the person themselves and for HR who manage them; 404 both for "
    "someone the caller may not see at all and for someone without a score.",
)
def score(request: HttpRequest, number: str) -> Any:
    access = _reader(request)
    employee = Employee.objects.filter(number=number).first()
    if employee is None or not access.can_view_employee(employee):
        raise Http404
    if not policy.may_see_attrition_of(access, employee):
        raise PermissionDenied(_("You may not read this person's attrition risk."))
    found = _scores(request).filter(employee=employee).first()
    if found is None:
        raise Http404
    return risk_out(found)
