"""Appraisal pages: the list anyone signed in may open, one appraisal with its actions,
bulk actions and notifications. Views look up, ask the policy, call an action, render."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.apps import apps as django_apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe import display
from kaohe.core import result_data
from kaohe.i18n import current_lang, listed
from kaohe.incidents.queries import appraisal_evidence
from kaohe.insights.sentiment_card import sentiment_card
from kaohe.names import person_name
from kaohe.org.policy import Access, access_for

from . import policy, presenter
from .actions import (
    WorkflowError,
    do_mark_notifications_read,
    do_refresh_frozen_data,
    input_label,
    manual_inputs,
    self_inputs,
    take,
)
from .forms import step_inputs
from .listing import NewestCycleFirst
from .models import Appraisal, Interview, Notification, Result
from .notify import told_of
from .scoring import score_appraisal
from .weakest import weakest
from .workflow import ACTIONS, STATE_LABELS, Action, State

# Actions that need nothing but a click, taken for many appraisals at once.
BULK_ACTIONS = ("send_for_confirmation", "open_assessment", "finalise", "close")
NO_STORE = "no-store"
LIST_PAGE = 50


def _visible(request: HttpRequest, pk: int) -> Appraisal:
    """The appraisal, or 404 for one that does not exist or the user may not see: the
    two look the same, so nobody learns which appraisals exist."""
    appraisal = (
        Appraisal.objects.select_related(
            "employee", "employee__department", "employee__position", "cycle", "rater", "version"
        )
        .filter(pk=pk)
        .first()
    )
    if appraisal is None or not policy.can_view_appraisal(access_for(request), appraisal):
        raise Http404
    return appraisal


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    appraisals = policy.visible_appraisals(access)
    state = request.GET.get("state", "")
    if state in {str(s) for s in State}:
        appraisals = appraisals.filter(state=state)
    waiting = request.GET.get("waiting") == "1"
    if waiting:
        appraisals = appraisals.filter(policy.waiting_on(access))
    page = Paginator(NewestCycleFirst(appraisals), LIST_PAGE).get_page(request.GET.get("page"))
    labels = {str(s): str(label) for s, label in STATE_LABELS.items()}  # translated once
    rows, offered = _list_rows(access, list(page), labels)
    show_pay = policy.can_see_pay_in_lists(access)
    context = {
        "bulk_actions": [action for name, action in ACTIONS.items() if name in offered],
        "rows": rows,
        "page": page,
        "state": state,
        "waiting": waiting,
        "states": list(labels.items()),
        "show_pay": show_pay,
        "can_open_cycles": policy.can_manage_cycles(access),
    }
    response = render(request, "appraisals/list.html", context)
    if show_pay:
        response["Cache-Control"] = NO_STORE
    return response


def _list_rows(
    access: Access, ids: list[int], labels: dict[str, str]
) -> tuple[list[dict[str, Any]], set[str]]:
    """The rows of a page, in the order of ``ids``, as plain values (the template looks
    each up in a dict rather than on a model), and the bulk actions any of them offers.
    A handful of queries for the page, none for each row."""
    loaded = (
        Appraisal.objects.select_related("employee")
        .only("rater_id", "state", "employee__name", "employee__number", "employee__department_id")
        .annotate(cycle_name=F("cycle__name"), department_name=F("employee__department__name"))
        .in_bulk(ids)
    )
    listed = [loaded[pk] for pk in ids if pk in loaded]
    mine = policy.waiting_on_among(access, listed)
    bulk = policy.actions_on_each(access, listed, [ACTIONS[name] for name in BULK_ACTIONS])
    results = {}
    latest_last = Result.objects.filter(appraisal_id__in=ids).order_by("number")
    for pk, total, grade, pay in latest_last.values_list("appraisal_id", "total", "grade", "pay"):
        results[pk] = {"total": total, "grade": grade, "pay": pay}
    rows = [
        {
            "pk": appraisal.pk,
            "cycle": appraisal.cycle_name,
            "name": appraisal.employee.name,
            "number": appraisal.employee.number,
            "department": appraisal.department_name,
            "state": labels[appraisal.state],
            "result": results.get(appraisal.pk),
            "waits_on_me": appraisal.pk in mine,
            "bulk": bool(bulk[appraisal.pk]),
        }
        for appraisal in listed
    ]
    return rows, {action.name for actions in bulk.values() for action in actions}


@login_required
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    access = access_for(request)
    show_pay = policy.can_see_pay(access, appraisal)
    page = presenter.build(appraisal, show_pay=show_pay)
    scheme = appraisal.version.scheme()
    actions = policy.available_actions(access, appraisal)
    context = {
        "appraisal": appraisal,
        "scheme_name": scheme.name(current_lang()),
        "page": page,
        "summary": page.summary,
        "results": list(appraisal.results.order_by("number")),
        "actions": actions,
        "manual": _manual_inputs(appraisal),
        "history": [_history_row(step) for step in appraisal.history.all()],
        "interview": getattr(appraisal, "interview", None),
        "interview_causes": _interview_causes(appraisal, scheme),
        "appeals": appraisal.appeals.all(),
        "root_causes": [(v, label) for v, label in Interview.RootCause.choices if v],
        "weak_indicators": _weak_indicators(appraisal, actions),
        "can_refresh_data": policy.can_refresh_data(access, appraisal),
        "is_own": appraisal.employee_id == getattr(access.employee, "pk", None),
        # The period's critical incidents and 1:1s: under their indicators, and for the
        # interview (seed 000: the quarter's review draws on the months before it).
        "evidence": appraisal_evidence(access, appraisal),
        # How customers sounded in the person's calls: context beside the score, not in it.
        "sentiment": sentiment_card(access, appraisal),
    }
    response = render(request, "appraisals/detail.html", context)
    if show_pay:
        response["Cache-Control"] = NO_STORE
    return response


def _manual_inputs(appraisal: Appraisal) -> list[dict[str, Any]]:
    """The items rated by hand, with the anchor texts of their levels."""
    scheme = appraisal.version.scheme()
    rules = {name: i.rule for i in scheme.indicators() for name in i.inputs}
    items, own = [], set(self_inputs(appraisal))
    for name in manual_inputs(appraisal):
        spec = scheme.inputs[name]
        rule = rules.get(name)
        levels = getattr(rule, "levels", ())
        items.append(
            {
                "name": name,
                "label": input_label(appraisal, name),
                "rated": (appraisal.ratings or {}).get(name, ""),
                "self_rated": (appraisal.self_ratings or {}).get(name, ""),
                "kind": str(spec.kind),
                "asked_of_self": name in own,
                "low": spec.minimum,
                "high": spec.maximum,
                "levels": [
                    {
                        "level": lv.level,
                        "points": display.points(lv.points),
                        "anchor": lv.anchor(current_lang()),
                    }
                    for lv in levels
                ],
            }
        )
    return items


def _interview_causes(appraisal: Appraisal, scheme: Any) -> list[tuple[str, Any]]:
    interview = getattr(appraisal, "interview", None)
    if interview is None or not interview.causes:
        return []
    labels = dict(Interview.RootCause.choices)
    lang = current_lang()
    names = {indicator.id: indicator.name(lang) for indicator in scheme.indicators()}
    return [(names.get(i, i), labels.get(c, c)) for i, c in interview.causes.items()]


def _weak_indicators(appraisal: Appraisal, actions: list[Action]) -> list[dict[str, str]]:
    """For the interview form: the weakest indicators, to record a root cause for each."""
    if not any(action.name == "record_interview" for action in actions):
        return []
    scored = score_appraisal(appraisal).result
    if scored is None:
        return []
    lang = current_lang()
    return [
        {"id": weak.indicator, "name": weak.name.get(lang, weak.indicator)}
        for weak in weakest({"result": result_data(scored)})
    ]


def _history_row(step: Any) -> dict[str, Any]:
    action = ACTIONS.get(step.action)
    labels = {
        "launch": _("Launched"),
        "refresh_data": _("Data refreshed"),
        "calibration_move": _("Moved in a calibration session"),
    }
    return {
        "at": step.at,
        "actor_name": step.actor_name,
        "action": action.label if action else labels.get(step.action, step.action),
        "source": _state_label(step.source),
        "target": _state_label(step.target),
        "reason": step.reason,
    }


def _state_label(value: str) -> Any:
    return STATE_LABELS[State(value)] if value in {str(s) for s in State} else ""


@require_POST
@login_required
def appraisal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appraisal = _visible(request, pk)
    try:
        moved = take(request.user, appraisal.pk, action, step_inputs(appraisal, request.POST))
    except WorkflowError as error:
        messages.error(request, str(error))
    except PermissionDenied:
        messages.error(request, _("You may not take this action on this appraisal."))
    else:
        messages.success(request, _moved_message(moved, ACTIONS[action], request.user))
    return redirect("appraisal", pk=appraisal.pk)


def _moved_message(appraisal: Appraisal, action: Action, actor: Any) -> str:
    waiting = [person_name(user) for user in told_of(appraisal, action, actor)]
    if waiting:
        return _("Done. The appraisal is now at “%(state)s”; %(people)s has been told.") % {
            "state": appraisal.state_label(), "people": listed(waiting),
        }  # fmt: skip
    return _("Done. The appraisal is now at “%(state)s”.") % {"state": appraisal.state_label()}


@require_POST
@login_required
def appraisal_refresh_data(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    try:
        changes = do_refresh_frozen_data(request.user, appraisal.pk, request.POST.get("reason", ""))
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("appraisal", pk=appraisal.pk)
    scheme = appraisal.version.scheme()
    if not changes:
        messages.info(request, _("The data is refreshed; no value changed."))
    for change in changes:
        spec = scheme.inputs.get(change.input)
        label = spec.label(current_lang()) if spec else change.input
        messages.success(
            request,
            _("%(item)s: %(before)s → %(after)s")
            % {
                "item": label,
                "before": _shown(spec, change.before),
                "after": _shown(spec, change.after),
            },
        )
    return redirect("appraisal", pk=appraisal.pk)


def _shown(spec: Any, value: str | None) -> str:
    if value is None:
        return display.NOTHING
    return spec.show(Decimal(value))(current_lang()) if spec is not None else value


@require_POST
@login_required
def appraisal_bulk(request: HttpRequest) -> HttpResponse:
    """One action for every ticked appraisal; each is checked and moved on its own, and
    those that cannot move are named with the reason."""
    name = request.POST.get("action", "")
    if name not in BULK_ACTIONS:
        messages.error(request, _("Choose an action."))
        return redirect("appraisals")
    done, refused = 0, []
    access = access_for(request)
    for pk in request.POST.getlist("appraisal"):
        appraisal = Appraisal.objects.select_related("employee").filter(pk=pk).first()
        if appraisal is None or not policy.can_view_appraisal(access, appraisal):
            continue
        try:
            take(request.user, appraisal.pk, name)
            done += 1
        except (WorkflowError, PermissionDenied) as error:
            reason = str(error) or _("not allowed")
            refused.append(f"{appraisal.employee.name}: {reason}")
    if done:
        messages.success(request, _("%(count)d appraisals moved on.") % {"count": done})
    for line in refused[:20]:
        messages.error(request, line)
    return redirect(f"{reverse('appraisals')}?{request.POST.get('query', '')}")


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    mine = list(
        Notification.objects.filter(recipient=request.user).select_related(
            "appraisal", "appraisal__employee", "appraisal__cycle"
        )[:100]
    )
    worded = _from_apps("notification_actions")
    for note in mine:
        action = ACTIONS.get(note.action)
        label = action.label if action else worded.get(note.action, _("Reminder"))
        note.label = label  # type: ignore[attr-defined]
        note.elsewhere = note.action in worded  # type: ignore[attr-defined]
    return render(request, "appraisals/notifications.html", {"notifications": mine})


def _from_apps(attribute: str) -> dict[str, Any]:
    """What other apps' configs say of the notifications they send (``notification_actions``:
    code → words; ``notification_links``: code → the page it leads to)."""
    found: dict[str, Any] = {}
    for config in django_apps.get_app_configs():
        found.update(getattr(config, attribute, {}))
    return found


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    count = do_mark_notifications_read(request.user)
    if count:
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications")


@require_POST
@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and go to its appraisal."""
    note = Notification.objects.filter(pk=pk, recipient=request.user).first()
    if note is None:
        raise Http404
    do_mark_notifications_read(request.user, [note.pk])
    if note.appraisal_id is None:
        return redirect(_from_apps("notification_links").get(note.action, "notifications"))
    return redirect("appraisal", pk=note.appraisal_id)
