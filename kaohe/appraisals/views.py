"""Appraisal pages: the list anyone signed in may open, one appraisal with its actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.access import access_for

from .actions import WorkflowError, act, available, input_label, manual_inputs
from .models import Appraisal, Interview, Notification
from .notify import waiting_on
from .scoring import FROM_METRICS, score_appraisal
from .workflow import ACTIONS, STATE_LABELS, State


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
    if appraisal is None or not access_for(request).can_view_appraisal(appraisal):
        raise Http404
    return appraisal


@login_required
def appraisal_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    appraisals = access.visible_appraisals().order_by("-cycle__created_at", "employee__number")
    state = request.GET.get("state", "")
    if state in {str(s) for s in State}:
        appraisals = appraisals.filter(state=state)
    waiting = request.GET.get("waiting") == "1"
    if waiting:
        appraisals = appraisals.filter(waiting_on(access))
    page = Paginator(appraisals, 50).get_page(request.GET.get("page"))
    mine = set(
        Appraisal.objects.filter(waiting_on(access), pk__in=[a.pk for a in page]).values_list(
            "pk", flat=True
        )
    )
    rows = []
    for appraisal in page:
        waits_on_me = appraisal.pk in mine
        result = appraisal.latest_result()
        bulk = [a.name for a in available(request, appraisal) if a.name in BULK_ACTIONS]
        rows.append(
            {"appraisal": appraisal, "result": result, "waits_on_me": waits_on_me, "bulk": bulk}
        )
    offered = sorted({name for row in rows for name in row["bulk"]}, key=list(ACTIONS).index)
    context = {
        "bulk_actions": [ACTIONS[name] for name in offered],
        "rows": rows,
        "page": page,
        "state": state,
        "waiting": waiting,
        "states": list(STATE_LABELS.items()),
    }
    return render(request, "appraisals/list.html", context)


@login_required
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appraisal = _visible(request, pk)
    access = access_for(request)
    scheme = appraisal.version.scheme()
    scored = score_appraisal(appraisal)
    lang = "zh" if (request.LANGUAGE_CODE or "").startswith("zh") else "en"
    indicators = []
    results = {r.indicator.id: r for r in scored.result.indicators} if scored.result else {}
    for indicator in scheme.indicators():
        result = results.get(indicator.id)
        names = list(indicator.rule.inputs)
        indicators.append(
            {
                "id": indicator.id,
                "name": getattr(indicator.name, lang),
                "target": (appraisal.targets or {}).get(indicator.id)
                or (
                    getattr(indicator.smart.target, lang)
                    if indicator.smart and indicator.smart.target
                    else ""
                ),
                "values": [
                    {
                        "label": input_label(appraisal, n),
                        "value": scored.values[n].value if n in scored.values else None,
                        "source": scored.values[n].source if n in scored.values else "",
                        "detail": scored.values[n].detail if n in scored.values else "",
                    }
                    for n in names
                ],
                "points": None if result is None else result.points,
                "max_points": indicator.max_points,
                "explanation": "" if result is None else getattr(result.explanation(), lang),
            }
        )
    latest = appraisal.latest_result()
    context = {
        "appraisal": appraisal,
        "scheme_name": getattr(scheme.name, lang),
        "indicators": indicators,
        "scored": scored,
        "result": latest,
        "results": list(appraisal.results.order_by("number")),
        "actions": available(request, appraisal),
        "roles": access.roles_on(appraisal),
        "manual": [
            (
                n,
                input_label(appraisal, n),
                appraisal.ratings.get(n, ""),
                appraisal.self_ratings.get(n, ""),
                str(scheme.inputs[n].kind),
                scheme.inputs[n].minimum,
                scheme.inputs[n].maximum,
            )
            for n in manual_inputs(appraisal)
        ],
        "history": [_history_row(step) for step in appraisal.history.all()],
        "interview": getattr(appraisal, "interview", None),
        "appeals": appraisal.appeals.all(),
        "from_metrics": FROM_METRICS,
        "root_causes": _root_causes(),
    }
    return render(request, "appraisals/detail.html", context)


def _history_row(step: Any) -> dict[str, Any]:
    action = ACTIONS.get(step.action)
    return {
        "at": step.at,
        "actor_name": step.actor_name,
        "action": action.label if action else _("Launched"),
        "source": _state_label(step.source),
        "target": _state_label(step.target),
        "reason": step.reason,
    }


def _state_label(value: str) -> Any:
    return STATE_LABELS[State(value)] if value in {str(s) for s in State} else ""


def _root_causes() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in Interview.RootCause.choices if value]


@require_POST
@login_required
def appraisal_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appraisal = _visible(request, pk)
    try:
        act(request.user, appraisal.pk, action, request.POST)
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Done. The appraisal has moved on, and the next person has been told.")
        )
    return redirect("appraisal", pk=appraisal.pk)


# Actions that need nothing but a click, taken for many appraisals at once.
BULK_ACTIONS = ("send_for_confirmation", "open_assessment", "finalise", "close")


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
    for pk in request.POST.getlist("appraisal"):
        appraisal = Appraisal.objects.select_related("employee").filter(pk=pk).first()
        if appraisal is None or not access_for(request).can_view_appraisal(appraisal):
            continue
        try:
            act(request.user, appraisal.pk, name, {})
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
    mine = Notification.objects.filter(recipient=request.user).select_related(
        "appraisal", "appraisal__employee", "appraisal__cycle"
    )[:100]
    listed = list(mine)
    for note in listed:
        action = ACTIONS.get(note.action)
        note.label = action.label if action else ""  # type: ignore[attr-defined]
    Notification.objects.filter(recipient=request.user, read_at=None).update(read_at=timezone.now())
    return render(request, "appraisals/notifications.html", {"notifications": listed})
