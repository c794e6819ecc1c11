"""Recognition pages: the team wall, giving a thank-you, one's own thank-yous, those
waiting on a manager's confirmation, one thank-you, and HR's company values. Views look
up, ask the policy, call an action, render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.i18n import current_lang
from kaohe.org.models import Employee
from kaohe.org.policy import Access, access_for, requires

from . import policy
from .actions import (
    RecognitionRefused,
    ThanksInput,
    ValueInput,
    do_confirm_thanks,
    do_give_thanks,
    do_save_value,
    do_set_shown,
    do_withdraw_thanks,
)
from .models import NOTE_LIMIT, CompanyValue, Thanks
from .ties import ties_for

PAGE_SIZE = 20
NEAR_LIMIT = 300  # colleagues suggested while typing a number


def _with_answers(access: Access, thanks: Iterable[Thanks]) -> list[Thanks]:
    """Each thank-you with what the reader may do with it, for the template to ask."""
    now, lang, found = timezone.now(), current_lang(), []
    for one in thanks:
        one.may_set_shown = policy.may_set_shown(access, one)  # type: ignore[attr-defined]
        one.may_withdraw = policy.may_withdraw(access, one, now)  # type: ignore[attr-defined]
        one.may_confirm = policy.may_confirm(access, one)  # type: ignore[attr-defined]
        one.tie = one.tie_label(lang)  # type: ignore[attr-defined]
        found.append(one)
    return found


def _page(request: HttpRequest, found: QuerySet[Thanks]) -> Any:
    return Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))


@requires(policy.can_open_recognition)
def wall(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    page = _page(request, policy.thanks_on_wall(access))
    context = {
        "page": page,
        "thanks": _with_answers(access, page.object_list),
        "can_give": policy.can_give_thanks(access),
        "to_confirm": policy.thanks_to_confirm(access).count(),
        "can_edit_values": policy.can_edit_values(access),
    }
    return render(request, "recognition/wall.html", context)


def _near_colleagues(access: Access) -> list[Employee]:
    """The people someone is likeliest to thank: their department, their manager and the
    people they manage directly."""
    me = access.employee
    if me is None:
        return []
    near = Employee.objects.active().exclude(pk=me.pk).select_related("department")
    found = near.filter(department_id=me.department_id) | near.filter(manager=me)
    if me.manager_id:
        found |= near.filter(pk=me.manager_id)
    return list(found.order_by("number")[:NEAR_LIMIT])


@requires(policy.can_give_thanks)
def give(request: HttpRequest) -> HttpResponse:
    """Step one names the colleague (``?to=NUMBER``); step two offers what to thank them
    for: the company values and the indicators of their scheme."""
    access = access_for(request)
    number = (request.POST.get("recipient") or request.GET.get("to") or "").strip()
    recipient = Employee.objects.select_related("department").filter(number=number).first()
    error, field = "", ""
    if number and (recipient is None or not policy.may_thank(access, recipient)):
        error = _("There is no active colleague with the number %(number)s whom you may "
                  "thank.") % {"number": number}  # fmt: skip
        recipient, field = None, "recipient"
    if request.method == "POST" and recipient is not None:
        given = ThanksInput(number, request.POST.get("note", ""), request.POST.get("tie", ""))
        try:
            made = do_give_thanks(request.user, given)
        except RecognitionRefused as refused:
            error, field = str(refused), refused.field
        except PermissionDenied as refused:
            error = str(refused)
        else:
            messages.success(
                request, _("Thank-you sent to %(name)s.") % {"name": made.recipient.name}
            )
            return redirect("recognition-wall")
    lang = current_lang()
    context = {
        "recipient": recipient,
        "number": number,
        "ties": [(t.choice, t.label(lang), t.kind) for t in ties_for(recipient)]
        if recipient is not None
        else [],
        "near": _near_colleagues(access),
        "note": request.POST.get("note", ""),
        "tie": request.POST.get("tie", ""),
        "error": error,
        "field": field,
        "limit": NOTE_LIMIT,
        "daily_limit": policy.DAILY_LIMIT,
    }
    return render(request, "recognition/give.html", context, status=422 if error else 200)


@requires(policy.can_give_thanks)
def mine(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    context = {
        "received": _with_answers(access, policy.thanks_received(access)[:100]),
        "given": _with_answers(access, policy.thanks_given(access)[:100]),
    }
    return render(request, "recognition/mine.html", context)


@requires(policy.can_give_thanks)
def to_confirm(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    page = _page(request, policy.thanks_to_confirm(access))
    context = {"page": page, "thanks": _with_answers(access, page.object_list)}
    return render(request, "recognition/to_confirm.html", context)


@login_required
def thanks_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = access_for(request)
    found = (
        Thanks.objects.select_related("author", "recipient", "recipient__department", "value")
        .filter(pk=pk)
        .first()
    )
    if found is None or not policy.can_view_thanks(access, found):
        raise Http404
    (thanks,) = _with_answers(access, [found])
    return render(request, "recognition/thanks.html", {"one": thanks})


def _back(request: HttpRequest, pk: int) -> HttpResponse:
    """Back where the button was pressed (a page of this site), else to the thank-you."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("recognition-thanks", pk=pk)


def _acting(request: HttpRequest, pk: int, act: Any, done: str) -> HttpResponse:
    try:
        act()
    except Thanks.DoesNotExist:
        raise Http404 from None
    except RecognitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done)
    return _back(request, pk)


@require_POST
@login_required
def set_shown(request: HttpRequest, pk: int) -> HttpResponse:
    shown = request.POST.get("shown") == "1"
    done = _("It shows on the wall again.") if shown else _("It no longer shows on the wall.")
    return _acting(request, pk, lambda: do_set_shown(request.user, pk, shown), done)


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """A page asking whether to withdraw it (it disappears for everyone), then the act."""
    if request.method != "POST":
        access = access_for(request)
        found = Thanks.objects.select_related("author", "recipient", "value").filter(pk=pk).first()
        if found is None or not policy.can_view_thanks(access, found):
            raise Http404
        if not policy.may_withdraw(access, found, timezone.now()):
            raise PermissionDenied
        (one,) = _with_answers(access, [found])
        return render(request, "recognition/withdraw.html", {"one": one})
    try:
        do_withdraw_thanks(request.user, pk)
    except Thanks.DoesNotExist:
        raise Http404 from None
    except RecognitionRefused as refused:
        messages.error(request, str(refused))
        return _back(request, pk)
    messages.success(request, _("The thank-you is withdrawn."))
    return redirect("recognition-mine")


@require_POST
@login_required
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    done = _("Confirmed: it is recorded as a positive incident.")
    return _acting(request, pk, lambda: do_confirm_thanks(request.user, pk), done)


@requires(policy.can_edit_values)
def values(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        order = request.POST.get("order", "")
        given = ValueInput(
            code=request.POST.get("code", ""),
            name_zh=request.POST.get("name_zh", ""),
            name_en=request.POST.get("name_en", ""),
            active=request.POST.get("active") == "on",
            order=int(order) if order.isdigit() else 0,
        )
        try:
            saved = do_save_value(request.user, given)
        except RecognitionRefused as refused:
            error = str(refused)
        else:
            messages.success(request, _("Saved: %(name)s.") % {"name": saved.name()})
            return redirect("recognition-values")
    context = {"values": CompanyValue.objects.all(), "error": error, "posted": request.POST}
    return render(request, "recognition/values.html", context, status=422 if error else 200)
