"""``/api/v1/incidents`` and ``/api/v1/one-on-ones``: the critical-incident log and the
monthly 1:1 check-ins, as the Incidents pages show and change them.

An incident or 1:1 the caller may not see is 404; an action they may not take is 403 with
the reason; input the action refuses is 422 naming the field; an incident that counts in a
finalised result is 409."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.incidents import policy
from kaohe.incidents.actions import (
    IncidentInput,
    IncidentRefused,
    OneOnOneInput,
    do_delete_incident,
    do_edit_incident,
    do_record_incident,
    do_respond,
    do_save_one_on_one,
)
from kaohe.incidents.models import Incident, OneOnOne
from kaohe.incidents.queries import filtered
from kaohe.names import person_name
from kaohe.org.policy import access_for

from .errors import ValidationProblem
from .pages import Page, PageQuery, each, page_of

router = Router(tags=["incidents"])


class IncidentOut(Schema):
    id: int
    employee: str  # the employee number
    name: str
    occurred_on: date
    polarity: str  # positive or negative
    kind: str  # one of the kinds a scheme counts, or "" for evidence only
    kind_label: str
    what: str
    indicator: str
    dimension: str
    recorded_by: str  # the recorder's name
    recorded_at: datetime
    response: str
    responded_at: datetime | None


def incident_out(incident: Incident) -> IncidentOut:
    return IncidentOut(
        id=incident.pk, employee=incident.employee.number, name=incident.employee.name,
        occurred_on=incident.occurred_on, polarity=incident.polarity, kind=incident.kind,
        kind_label=incident.kind_label(), what=incident.what, indicator=incident.indicator,
        dimension=incident.dimension, recorded_by=person_name(incident.recorded_by),
        recorded_at=incident.recorded_at, response=incident.response,
        responded_at=incident.responded_at,
    )  # fmt: skip


class IncidentFilters(PageQuery):
    person: str = Field("", description="An employee number.")
    period: str = Field("", description="A month, quarter, half or year: 2026-09, 2026-Q3.")
    polarity: Literal["", "positive", "negative"] = ""
    kind: str = Field("", description="suggestion, extra_task, violation, … (see the docs).")


def _refusing(call: Any) -> Any:
    """The action's answer; its refusals as the API words them."""
    try:
        return call()
    except ObjectDoesNotExist:
        raise Http404 from None
    except IncidentRefused as refused:
        if refused.field:
            raise ValidationProblem(
                [{"field": refused.field, "in": "body", "reason": str(refused)}]
            ) from None
        raise HttpError(409, str(refused)) from None


def _visible(request: HttpRequest, incident_id: int) -> Incident:
    found = (
        Incident.objects.select_related("employee", "employee__department", "recorded_by__employee")
        .filter(pk=incident_id)
        .first()
    )
    if found is None or not policy.can_view_incident(access_for(request), found):
        raise Http404
    return found


@router.get(
    "/incidents",
    response=Page[IncidentOut],
    summary="The incidents the caller may see: their own, their people's, HR's scope",
)
def incidents(request: HttpRequest, filters: Query[IncidentFilters]) -> Any:
    access = access_for(request)
    if not policy.can_open_incidents(access):
        raise PermissionDenied(_("This account is linked to no person in the organisation."))
    found, problem = filtered(policy.incidents_in_view(access), filters.dict())
    if problem:
        raise ValidationProblem([{"field": "period", "in": "query", "reason": problem}])
    return page_of(found, filters, each(incident_out))


class IncidentIn(Schema):
    occurred_on: date
    polarity: Literal["positive", "negative"]
    what: str = Field(..., description="What happened; the employee reads it.")
    kind: str = Field("", description="A kind a scheme counts, or empty for evidence only.")
    indicator: str = Field("", description="An indicator id of the person's current scheme.")
    dimension: str = Field("", description="A dimension id, when no indicator is given.")

    def given(self) -> IncidentInput:
        return IncidentInput(
            self.occurred_on, self.polarity, self.what, self.kind, self.indicator, self.dimension
        )


class NewIncidentIn(IncidentIn):
    employee: str = Field(..., description="The employee number of the person it is about.")


@router.post(
    "/incidents",
    response={201: IncidentOut},
    summary="Record an incident for a person below the caller or in HR's scope",
)
def record(request: HttpRequest, body: NewIncidentIn) -> Any:
    made = _refusing(lambda: do_record_incident(request.user, body.employee, body.given()))
    return Status(201, incident_out(_visible(request, made.pk)))


@router.get("/incidents/{incident_id}", response=IncidentOut, summary="One incident")
def incident(request: HttpRequest, incident_id: int) -> Any:
    return incident_out(_visible(request, incident_id))


class IncidentPatch(Schema):
    occurred_on: date | None = None
    polarity: Literal["positive", "negative"] | None = None
    what: str | None = None
    kind: str | None = None
    indicator: str | None = None
    dimension: str | None = None


@router.patch(
    "/incidents/{incident_id}",
    response=IncidentOut,
    summary="Change an incident: the recorder or HR, until it counts in a finalised result",
)
def edit(request: HttpRequest, incident_id: int, body: IncidentPatch) -> Any:
    found = _visible(request, incident_id)
    changes = body.dict(exclude_unset=True)
    if "indicator" in changes and "dimension" not in changes:
        changes["dimension"] = ""  # a new indicator brings its own dimension
    given = IncidentInput(
        occurred_on=changes.get("occurred_on", found.occurred_on),
        polarity=changes.get("polarity") or found.polarity,
        what=changes["what"] if changes.get("what") is not None else found.what,
        kind=changes["kind"] if changes.get("kind") is not None else found.kind,
        indicator=changes.get("indicator", found.indicator) or "",
        dimension=changes.get("dimension", found.dimension) or "",
    )
    _refusing(lambda: do_edit_incident(request.user, found.pk, given))
    return incident_out(_visible(request, incident_id))


class DeletedOut(Schema):
    id: int
    deleted: bool


# Declared by method name: the write check reads ``router.delete(`` as a model deletion.
@router.api_operation(
    ["DELETE"],
    "/incidents/{incident_id}",
    response=DeletedOut,
    summary="Delete an incident: the recorder or HR, unless it counts in a finalised result",
)
def delete(request: HttpRequest, incident_id: int) -> Any:
    found = _visible(request, incident_id)
    _refusing(lambda: do_delete_incident(request.user, found.pk))
    return DeletedOut(id=incident_id, deleted=True)


class ResponseIn(Schema):
    response: str = Field(..., description="The employee's response; rewording replaces it.")


@router.post(
    "/incidents/{incident_id}/response",
    response=IncidentOut,
    summary="The employee's response to an incident about them",
)
def respond(request: HttpRequest, incident_id: int, body: ResponseIn) -> Any:
    found = _visible(request, incident_id)
    _refusing(lambda: do_respond(request.user, found.pk, body.response))
    return incident_out(_visible(request, incident_id))


# --- 1:1s --------------------------------------------------------------------------------


class OneOnOneOut(Schema):
    id: int
    manager: str  # employee numbers
    manager_name: str
    employee: str
    name: str
    month: str
    went_well: str
    to_improve: str
    actions: str
    incidents: list[int]
    goal_ids: list[str]
    updated_at: datetime


def one_on_one_out(one: OneOnOne) -> OneOnOneOut:
    return OneOnOneOut(
        id=one.pk, manager=one.manager.number, manager_name=one.manager.name,
        employee=one.employee.number, name=one.employee.name, month=one.month,
        went_well=one.went_well, to_improve=one.to_improve, actions=one.actions,
        incidents=sorted(i.pk for i in one.incidents.all()),
        goal_ids=[str(g) for g in one.goal_ids], updated_at=one.updated_at,
    )  # fmt: skip


class OneOnOneFilters(PageQuery):
    person: str = Field("", description="The employee's number.")
    manager: str = Field("", description="The manager's number.")
    month: str = Field("", description="YYYY-MM")


@router.get(
    "/one-on-ones",
    response=Page[OneOnOneOut],
    summary="The 1:1s the caller may see: their own, those they held, their managers', HR's",
)
def one_on_ones(request: HttpRequest, filters: Query[OneOnOneFilters]) -> Any:
    access = access_for(request)
    if not policy.can_open_one_on_ones(access):
        raise PermissionDenied(_("This account is linked to no person in the organisation."))
    found = policy.one_on_ones_in_view(access).prefetch_related("incidents")
    if filters.person:
        found = found.filter(employee__number=filters.person)
    if filters.manager:
        found = found.filter(manager__number=filters.manager)
    if filters.month:
        found = found.filter(month=filters.month)
    return page_of(found, filters, each(one_on_one_out))


class OneOnOneIn(Schema):
    employee: str = Field(..., description="The report's employee number.")
    month: str = Field(..., description="YYYY-MM, not after this month.")
    went_well: str = ""
    to_improve: str = ""
    actions: str = ""
    incidents: list[int] = Field(default_factory=list, description="Ids of incidents about them.")
    goal_ids: list[str] = Field(default_factory=list, description="Goals talked about, by id.")


@router.post(
    "/one-on-ones",
    response={200: OneOnOneOut, 201: OneOnOneOut},
    summary="Record the month's 1:1 with a report (201), or change the one held (200)",
)
def save_one_on_one(request: HttpRequest, body: OneOnOneIn) -> Any:
    given = OneOnOneInput(
        body.month, body.went_well, body.to_improve, body.actions, body.incidents, body.goal_ids
    )
    one, created = _refusing(lambda: do_save_one_on_one(request.user, body.employee, given))
    return Status(201 if created else 200, one_on_one_out(one))


@router.get("/one-on-ones/{one_on_one_id}", response=OneOnOneOut, summary="One 1:1 check-in")
def one_on_one(request: HttpRequest, one_on_one_id: int) -> Any:
    found = (
        OneOnOne.objects.select_related("manager", "employee", "employee__department")
        .filter(pk=one_on_one_id)
        .first()
    )
    if found is None or not policy.can_view_one_on_one(access_for(request), found):
        raise Http404
    return one_on_one_out(found)
