"""``/api/v1/recognition/…``: instant recognition (即时奖励) — thanking a colleague, the
team wall, hiding, withdrawing, and a manager's confirmation as a positive incident — as
the Recognition pages show and change them.

A thank-you the caller may not see is 404; an action they may not take is 403 with the
reason; a note or tie the action refuses is 422 naming the field; what the moment does not
allow (past the withdrawal window, confirmed already, the day's limit reached) is 409."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaohe.i18n import current_lang
from kaohe.org.models import Employee
from kaohe.org.policy import access_for
from kaohe.recognition import policy
from kaohe.recognition.actions import (
    RecognitionRefused,
    ThanksInput,
    do_confirm_thanks,
    do_give_thanks,
    do_set_shown,
    do_withdraw_thanks,
)
from kaohe.recognition.models import Thanks
from kaohe.recognition.ties import ties_for

from .errors import ValidationProblem
from .pages import Page, PageQuery, page_of

router = Router(tags=["recognition"])


class ThanksOut(Schema):
    id: int
    author: str  # the author's employee number
    author_name: str
    recipient: str  # the recipient's employee number
    recipient_name: str
    department: str  # the recipient's department
    note: str
    tie: str = Field(..., description="value:CODE or indicator:ID")
    tie_label: str = Field(..., description="The value or indicator, in the caller's language.")
    shown: bool = Field(..., description="Whether it shows on the wall: the recipient's choice.")
    created_at: datetime
    confirmed_at: datetime | None
    incident: int | None = Field(None, description="The positive incident a manager confirmed.")
    may_set_shown: bool
    may_withdraw: bool
    may_confirm: bool


def _out(request: HttpRequest, rows: list[Thanks]) -> list[ThanksOut]:
    access, now, lang = access_for(request), timezone.now(), current_lang()
    return [
        ThanksOut(
            id=t.pk, author=t.author.number, author_name=t.author.name,
            recipient=t.recipient.number, recipient_name=t.recipient.name,
            department=t.recipient.department.name, note=t.note,
            tie=f"value:{t.value.code}" if t.value else f"indicator:{t.indicator}",
            tie_label=t.tie_label(lang), shown=t.shown, created_at=t.created_at,
            confirmed_at=t.confirmed_at, incident=t.incident_id,
            may_set_shown=policy.may_set_shown(access, t),
            may_withdraw=policy.may_withdraw(access, t, now),
            may_confirm=policy.may_confirm(access, t),
        )
        for t in rows
    ]  # fmt: skip


def _opening(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_open_recognition(access):
        raise PermissionDenied(_("This account is linked to no person in the organisation."))
    return access


def _visible(request: HttpRequest, thanks_id: int) -> Thanks:
    found = (
        Thanks.objects.select_related("author", "recipient", "recipient__department", "value")
        .filter(pk=thanks_id)
        .first()
    )
    if found is None or not policy.can_view_thanks(access_for(request), found):
        raise Http404
    return found


def _refusing(call: Any) -> Any:
    try:
        return call()
    except Thanks.DoesNotExist:
        raise Http404 from None
    except RecognitionRefused as refused:
        if refused.field:
            raise ValidationProblem(
                [{"field": refused.field, "in": "body", "reason": str(refused)}]
            ) from None
        raise HttpError(409, str(refused)) from None


@router.get(
    "/recognition/wall",
    response=Page[ThanksOut],
    summary="The team wall: shown thank-yous within the caller's scope, newest first",
)
def wall(request: HttpRequest, query: Query[PageQuery]) -> Any:
    found = policy.thanks_on_wall(_opening(request))
    return page_of(found, query, lambda rows: _out(request, rows))


class ThanksFilters(PageQuery):
    direction: str = Field("received", description="received, given or to_confirm")


@router.get(
    "/recognition/thanks",
    response=Page[ThanksOut],
    summary="The caller's thank-yous: received (hidden ones too), given, or to confirm",
)
def my_thanks(request: HttpRequest, filters: Query[ThanksFilters]) -> Any:
    access = _opening(request)
    listing = {
        "received": policy.thanks_received,
        "given": policy.thanks_given,
        "to_confirm": policy.thanks_to_confirm,
    }.get(filters.direction)
    if listing is None:
        reason = _("Choose received, given or to_confirm.")
        raise ValidationProblem([{"field": "direction", "in": "query", "reason": reason}])
    return page_of(listing(access), filters, lambda rows: _out(request, rows))


class ThanksTieOut(Schema):
    tie: str  # value:CODE or indicator:ID, as a new thank-you names it
    kind: str  # value or indicator
    label: str


@router.get(
    "/recognition/ties/{number}",
    response=list[ThanksTieOut],
    summary="What a colleague can be thanked for: the company values and their indicators",
)
def ties(request: HttpRequest, number: str) -> Any:
    access = _opening(request)
    employee = Employee.objects.filter(number=number).first()
    if employee is None or not policy.may_thank(access, employee):
        raise Http404
    lang = current_lang()
    found = ties_for(employee)
    return [ThanksTieOut(tie=t.choice, kind=t.kind, label=t.label(lang)) for t in found]


class ThanksIn(Schema):
    recipient: str = Field(..., description="The colleague's employee number.")
    note: str = Field(..., description="Up to 280 characters; they and their manager read it.")
    tie: str = Field(..., description="value:CODE or indicator:ID, from /recognition/ties.")


@router.post(
    "/recognition/thanks",
    response={201: ThanksOut},
    summary="Thank a colleague (up to ten a day); they and their manager are told",
)
def give(request: HttpRequest, body: ThanksIn) -> Any:
    made = _refusing(
        lambda: do_give_thanks(request.user, ThanksInput(body.recipient, body.note, body.tie))
    )
    return Status(201, _out(request, [_visible(request, made.pk)])[0])


@router.get("/recognition/thanks/{thanks_id}", response=ThanksOut, summary="One thank-you")
def one(request: HttpRequest, thanks_id: int) -> Any:
    return _out(request, [_visible(request, thanks_id)])[0]


class ThanksShownIn(Schema):
    shown: bool = Field(..., description="false hides it from the wall, true shows it again.")


@router.put(
    "/recognition/thanks/{thanks_id}/shown",
    response=ThanksOut,
    summary="Hide a thank-you from the wall or show it again (the person thanked)",
)
def set_shown(request: HttpRequest, thanks_id: int, body: ThanksShownIn) -> Any:
    _refusing(lambda: do_set_shown(request.user, thanks_id, body.shown))
    return _out(request, [_visible(request, thanks_id)])[0]


class ThanksWithdrawnOut(Schema):
    id: int
    withdrawn: bool


@router.post(
    "/recognition/thanks/{thanks_id}/withdraw",
    response=ThanksWithdrawnOut,
    summary="Withdraw a thank-you (its author, within 15 minutes, unless confirmed)",
)
def withdraw(request: HttpRequest, thanks_id: int) -> Any:
    _refusing(lambda: do_withdraw_thanks(request.user, thanks_id))
    return ThanksWithdrawnOut(id=thanks_id, withdrawn=True)


@router.post(
    "/recognition/thanks/{thanks_id}/confirm",
    response=ThanksOut,
    summary="Confirm a thank-you as a positive incident (the recipient's manager, once)",
)
def confirm(request: HttpRequest, thanks_id: int) -> Any:
    _refusing(lambda: do_confirm_thanks(request.user, thanks_id))
    return _out(request, [_visible(request, thanks_id)])[0]
