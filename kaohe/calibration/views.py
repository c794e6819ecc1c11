"""Calibration pages: the sessions, opening one, the session board, closing it.
Views look up, ask the policy, call an action, render."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaohe.appraisals.models import Cycle
from kaohe.appraisals.scoring import grades_of
from kaohe.i18n import listed
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import (
    POTENTIALS,
    CalibrationRefused,
    MoveInput,
    do_close_session,
    do_move,
    do_open_session,
    do_rate_potential,
    do_set_cycle_guideline,
    do_set_session_guideline,
)
from .board import board
from .chart import distribution_chart
from .forms import GuidelineForm, SessionForm
from .models import CycleGuideline, Session

NO_STORE = "no-store"
PAGE = 100  # people per page of the table; the distribution and flags count everyone
SHOWN_PER_BOX = 12


def _session(request: HttpRequest, pk: int) -> Session:
    session = Session.objects.select_related("cycle", "facilitator").filter(pk=pk).first()
    if session is None or not policy.can_view_session(access_for(request), session):
        raise Http404
    return session


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    sessions = list(policy.sessions_in_view(access))
    if not sessions and not policy.can_open_sessions(access):
        raise PermissionDenied
    cycles = [
        c for c in policy.cycles_to_calibrate(access) if policy.can_set_cycle_guideline(access, c)
    ]
    guidelines = {g.cycle_id: g for g in CycleGuideline.objects.filter(cycle__in=cycles)}
    context = {
        "sessions": sessions,
        "can_open": policy.can_open_sessions(access),
        "cycles": [(cycle, _written(guidelines.get(cycle.pk), cycle)) for cycle in cycles],
        "guideline_form": GuidelineForm(),
    }
    return render(request, "calibration/sessions.html", context)


def _written(held: CycleGuideline | None, cycle: Cycle) -> Any:
    return None if held is None else held.guideline(grades_of(cycle))


@require_POST
@login_required
def cycle_guideline(request: HttpRequest, pk: int) -> HttpResponse:
    form = GuidelineForm(request.POST)
    if not form.is_valid():
        messages.error(request, listed(str(e) for errors in form.errors.values() for e in errors))
        return redirect("calibration-sessions")
    try:
        do_set_cycle_guideline(request.user, pk, form.guideline_input())
    except PermissionDenied:
        raise Http404 from None
    except CalibrationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The cycle's guideline is saved."))
    return redirect("calibration-sessions")


@requires(policy.can_open_sessions)
def session_new(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    form = SessionForm(request.POST or None, access=access)
    if request.method == "POST" and form.is_valid():
        try:
            session = do_open_session(request.user, form.session_data())
        except CalibrationRefused as refused:
            form.add_error(None, str(refused))
        else:
            count = session.members.count()
            messages.success(
                request,
                _("Session opened with %(count)s people.") % {"count": count},
            )
            return redirect("calibration-session", pk=session.pk)
    return render(request, "calibration/session_new.html", {"form": form})


def _descending(request: HttpRequest) -> bool:
    return request.GET.get("dir") == "desc"


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    access = access_for(request)
    if request.method == "POST":
        return _posted(request, session)
    sort = request.GET.get("sort", "")
    shown = board(session, sort=sort, descending=_descending(request))
    form = GuidelineForm(
        initial={
            "guideline": shown.check and _guideline_text(session, shown.grades),
            "enforced": session.enforced,
            "minimum_population": session.minimum_population,
        }
    )
    context = {
        "session": session,
        "board": shown,
        "sort": sort,
        "descending": _descending(request),
        "may_run": policy.may_run(access, session),
        "chart": distribution_chart(shown),
        "guideline_form": form,
        "potentials": POTENTIALS,
        "columns": _columns(shown),
        "people": Paginator(shown.rows, PAGE).get_page(request.GET.get("page")),
        "query": urlencode({k: v for k, v in request.GET.items() if k in ("sort", "dir")}),
        "nine_box": [
            (label, [(cell[:SHOWN_PER_BOX], max(0, len(cell) - SHOWN_PER_BOX)) for cell in line])
            for label, line in zip(POTENTIAL_ROWS, shown.nine_box, strict=True)
        ],
        "moves": session.moves.select_related("appraisal__employee")[:100],
        "participants": list(session.participants.all()),
    }
    response = render(request, "calibration/session.html", context)
    response["Cache-Control"] = NO_STORE
    return response


POTENTIAL_ROWS = (gettext_lazy("3 · high"), gettext_lazy("2 · medium"), gettext_lazy("1 · low"))


def _columns(shown: Any) -> list[tuple[str, Any]]:
    """The table's sortable columns: (sort key, heading)."""
    return [
        ("number", _("No.")),
        ("name", _("Name")),
        ("department", _("Department")),
        ("manager", _("Manager")),
        *((f"dimension:{key}", label) for key, label in shown.dimensions),
        ("total", _("Score")),
        ("grade", _("Grade")),
        ("gap", _("Self-assessment gap")),
        ("potential", _("Potential")),
    ]


def _guideline_text(session: Session, grades: list[str]) -> str:
    guideline = session.guideline(grades)
    return "" if guideline is None else guideline.written().replace(" %", "")


def _posted(request: HttpRequest, session: Session) -> HttpResponse:
    """The board's form: move the ticked people, or save the potential ratings."""
    try:
        if "save_potential" in request.POST:
            _save_potentials(request, session)
        else:
            moved = do_move(request.user, session.pk, _move_input(request))
            messages.success(
                request,
                _("Moved %(count)s people.") % {"count": len(moved)}
                if len(moved) != 1
                else _("Moved %(name)s: %(before)s %(from)s → %(after)s %(to)s.")
                % {
                    "name": moved[0].appraisal.employee.name,
                    "before": moved[0].from_total, "from": moved[0].from_grade,
                    "after": moved[0].to_total, "to": moved[0].to_grade,
                },
            )  # fmt: skip
    except CalibrationRefused as refused:
        messages.error(request, str(refused))
    except PermissionDenied:
        messages.error(request, _("You may not move these people in this session."))
    return redirect(request.get_full_path())


def _move_input(request: HttpRequest) -> MoveInput:
    ids = tuple(int(v) for v in request.POST.getlist("appraisal") if v.isdigit())
    if not ids:
        raise CalibrationRefused(_("Tick the people to move first."))
    points_text = (request.POST.get("points") or "").strip().replace("＋", "+")
    grade = (request.POST.get("grade") or "").strip()
    points = None
    if points_text:
        try:
            points = Decimal(points_text)
        except InvalidOperation:
            raise CalibrationRefused(_("The points must be a number, e.g. 2 or -1.5.")) from None
    return MoveInput(ids, request.POST.get("reason", ""), points=points, grade=grade)


def _save_potentials(request: HttpRequest, session: Session) -> None:
    ratings = {
        int(key.removeprefix("potential_")): int(value) if value.isdigit() else None
        for key, value in request.POST.items()
        if key.startswith("potential_") and key.removeprefix("potential_").isdigit()
    }
    changed = do_rate_potential(request.user, session.pk, ratings)
    messages.success(request, _("Potential saved for %(count)s people.") % {"count": changed})


@require_POST
@login_required
def session_guideline(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = GuidelineForm(request.POST)
    if form.is_valid():
        try:
            do_set_session_guideline(request.user, session.pk, form.guideline_input())
        except CalibrationRefused as refused:
            messages.error(request, str(refused))
        except PermissionDenied:
            messages.error(request, _("Only the facilitator or HR may set the guideline."))
        else:
            messages.success(request, _("The session's guideline is saved."))
    else:
        messages.error(request, listed(str(e) for errors in form.errors.values() for e in errors))
    return redirect("calibration-session", pk=session.pk)


@login_required
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    """A confirmation page, then the close: it moves appraisals on and cannot be undone."""
    session = _session(request, pk)
    if not policy.may_run(access_for(request), session) or not session.is_open:
        raise Http404
    if request.method == "POST":
        try:
            closed = do_close_session(request.user, session.pk)
        except CalibrationRefused as refused:
            messages.error(request, str(refused))
            return redirect("calibration-session", pk=session.pk)
        messages.success(
            request,
            _("Session closed: %(count)s appraisals moved on to the next stage.")
            % {"count": closed.moved_on},
        )
        if closed.left:
            messages.warning(
                request,
                _("Not at calibration, so left where they are: %(names)s.")
                % {"names": listed(closed.left)},
            )
        return redirect("calibration-session", pk=session.pk)
    shown = board(session)
    context = {
        "session": session,
        "board": shown,
        "ready": sum(1 for row in shown.rows if row.movable),
        "waiting": [row for row in shown.rows if not row.movable],
    }
    return render(request, "calibration/session_close.html", context)
