"""Points and badges pages: the leaderboards, the badge catalogue and a badge's page, and
HR's editor of rules and badges. Views look up, ask the policy, call an action, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.i18n import current_lang
from kaohe.metrics import metric_names
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import (
    BadgeInput,
    PointsRefused,
    do_choose_initials,
    do_delete_badge,
    do_delete_rule,
    do_run_awards,
    do_save_badge,
    do_save_rule,
    do_set_board,
)
from .boards import BoardRefused, board_period, build_board, find_board, people_on, recent_periods
from .models import Badge, BadgeAward, BoardChoice, Comparison, PeriodKind, PointRule, RuleKind
from .shelf import badge_shelf
from .wording import metric_words


def _number(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


def _board_asked(request: HttpRequest) -> tuple[int | None, str]:
    """The chooser's ``board=12-centre``, or ``department=12&kind=centre``."""
    board = request.GET.get("board", "")
    department, _sep, kind = board.partition("-")
    if department.isdigit() and kind in ("team", "centre"):
        return int(department), kind
    return _number(request.GET.get("department")), request.GET.get("kind", "team")


@requires(policy.can_open_points)
def leaderboards(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    try:
        period = board_period(request.GET.get("period"))
        department_id, kind = _board_asked(request)
        department, whole = find_board(access, department_id, kind)
    except BoardRefused as refused:
        context = {"refused": str(refused), "periods": recent_periods()}
        return render(request, "points/leaderboards.html", context)
    people, _left_out = people_on(department, whole)
    if not policy.can_view_board(access, department, people, whole):
        raise Http404
    board = build_board(access, department, whole, period)
    me = access.employee
    mine = []
    if me is not None:
        mine = list(policy.entries_in_view(access).filter(
            employee=me, on__gte=period.first_day, on__lte=period.last_day)[:50])  # fmt: skip
    choice = BoardChoice.objects.filter(employee=me).first() if me is not None else None
    context = {
        "board": board,
        "choices": policy.board_choices(access),
        "periods": recent_periods(),
        "mine": mine,
        "my_total": sum(e.points for e in mine),
        "my_board_off": policy.my_board_is_off(access),
        "may_set_board": not whole and policy.may_set_board(access, department),
        "chooses_display": policy.may_choose_display(access),
        "by_initials": bool(choice and choice.initials),
        "edits_rules": policy.may_edit_rules(access),
    }
    return render(request, "points/leaderboards.html", context)


@require_POST
@login_required
def set_board(request: HttpRequest, department_id: int) -> HttpResponse:
    hidden = request.POST.get("hidden") == "1"
    try:
        do_set_board(request.user, department_id, hidden)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The team's leaderboard is turned off for its members.")
                     if hidden else _("The team's leaderboard is shown again."))  # fmt: skip
    return redirect(f"{reverse('leaderboards')}?department={department_id}&kind=team")


@require_POST
@login_required
def choose_initials(request: HttpRequest) -> HttpResponse:
    initials = request.POST.get("initials") == "1"
    do_choose_initials(request.user, initials)
    messages.success(request, _("The leaderboards show you by your initials.")
                     if initials else _("The leaderboards show your name."))  # fmt: skip
    return redirect(request.POST.get("next") or "leaderboards")


@requires(policy.can_see_badges)
def badges(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    listed = []
    for badge in Badge.objects.filter(active=True):
        latest = badge.awards.order_by("-period").values_list("period", flat=True).first()
        holders = (
            list(badge.awards.filter(period=latest).select_related("employee")) if latest else []
        )
        names = [a.employee.name for a in holders]
        listed.append({"badge": badge, "period": latest, "names": names,
                       "holders": holders, "rule": rule_words(badge)})  # fmt: skip
    me = access.employee
    context = {
        "badges": listed,
        "shelf": badge_shelf(me) if me is not None else [],
        "edits_rules": policy.may_edit_rules(access),
    }
    return render(request, "points/badges.html", context)


@requires(policy.can_see_badges)
def badge_detail(request: HttpRequest, code: str) -> HttpResponse:
    badge = Badge.objects.filter(code=code).first()
    if badge is None:
        raise Http404
    awards = BadgeAward.objects.filter(badge=badge).select_related("employee")[:500]
    by_period: dict[str, list[BadgeAward]] = {}
    for award in awards:
        by_period.setdefault(award.period, []).append(award)
    context = {
        "badge": badge,
        "rule": rule_words(badge),
        "periods": list(by_period.items()),
        "edits_rules": policy.may_edit_rules(access_for(request)),
    }
    return render(request, "points/badge.html", context)


def rule_words(badge: Badge) -> str:
    """A badge's rule as a sentence in the reader's language."""
    name = metric_words(badge.metric).name(current_lang())
    parts = [str(badge.get_period_kind_display())]
    if badge.comparison in (Comparison.AT_LEAST, Comparison.AT_MOST):
        sign = "≥" if badge.comparison == Comparison.AT_LEAST else "≤"
        parts.append(f"{name} {sign} {badge.threshold or 0:g}")
    else:
        parts += [str(badge.get_comparison_display()), name]
    if badge.min_volume:
        parts.append(_("minimum volume %(count)s") % {"count": badge.min_volume})
    if badge.guard_metric:
        guard = metric_words(badge.guard_metric).name(current_lang())
        parts.append(_("only if %(metric)s is at most %(bound)s")
                     % {"metric": guard, "bound": f"{badge.guard_at_most:g}"})  # fmt: skip
    return " · ".join(parts)


# --- HR's editor -------------------------------------------------------------------------


@requires(policy.may_edit_rules)
def editor(request: HttpRequest) -> HttpResponse:
    held = {rule.kind: rule for rule in PointRule.objects.all()}
    context = {
        "rules": [(value, label, held.get(value)) for value, label in RuleKind.choices],
        "badges": Badge.objects.all(),
        "periods": recent_periods(),
    }
    return render(request, "points/editor.html", context)


@require_POST
@requires(policy.may_edit_rules)
def save_rule(request: HttpRequest) -> HttpResponse:
    points = request.POST.get("points", "")
    try:
        do_save_rule(
            request.user, request.POST.get("kind", ""), int(points) if points.isdigit() else 0,
            request.POST.get("active") == "1",
        )  # fmt: skip
    except PointsRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The rule is saved."))
    return redirect("points-editor")


@requires(policy.may_edit_rules)
def delete_rule(request: HttpRequest, pk: int) -> HttpResponse:
    rule = PointRule.objects.filter(pk=pk).first()
    if rule is None:
        raise Http404
    if request.method == "POST":
        try:
            removed = do_delete_rule(request.user, pk, request.POST.get("confirm") == "1")
        except PointsRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The rule is deleted, with %(count)s points rows.")
                             % {"count": removed})  # fmt: skip
            return redirect("points-editor")
    return render(request, "points/confirm_delete.html", {
        "what": rule.get_kind_display(), "count": rule.entries.count(),
        "consequence": _("Points earned under this rule are removed from the boards."),
    })  # fmt: skip


def _badge_input(post: Any) -> BadgeInput:
    def number(name: str) -> float | None:
        text = (post.get(name) or "").strip()
        try:
            return float(text) if text else None
        except ValueError:
            raise PointsRefused(_("%(field)s is a number.") % {"field": name}) from None

    volume = number("min_volume")
    return BadgeInput(
        code=post.get("code", "").strip(), name_zh=post.get("name_zh", ""),
        name_en=post.get("name_en", ""), metric=post.get("metric", ""),
        comparison=post.get("comparison", ""), period_kind=post.get("period_kind", ""),
        min_volume=int(volume or 0), threshold=number("threshold"),
        higher_is_better=post.get("higher_is_better") == "1",
        guard_metric=post.get("guard_metric", ""), guard_at_most=number("guard_at_most") or 0,
        description_zh=post.get("description_zh", ""),
        description_en=post.get("description_en", ""),
        active=post.get("active") == "1",
    )  # fmt: skip


FORM_FIELDS = ("code", "name_zh", "name_en", "description_zh", "description_en", "metric",
               "comparison", "higher_is_better", "threshold", "min_volume", "guard_metric",
               "guard_at_most", "period_kind", "active")  # fmt: skip
NEW_BADGE = {"comparison": Comparison.BEST, "higher_is_better": True, "min_volume": 0,
             "guard_at_most": 0, "period_kind": PeriodKind.MONTH, "active": True}  # fmt: skip


def _form_values(request: HttpRequest, badge: Badge | None) -> dict[str, Any]:
    """What the form shows: what was posted, else the badge, else a new badge's defaults."""
    if request.method == "POST":
        posted = {name: request.POST.get(name, "") for name in FORM_FIELDS}
        for name in ("higher_is_better", "active"):
            posted[name] = request.POST.get(name) == "1"
        return posted
    if badge is None:
        return {name: NEW_BADGE.get(name, "") for name in FORM_FIELDS}
    values = {name: getattr(badge, name) for name in FORM_FIELDS}
    if values["threshold"] is None:
        values["threshold"] = ""
    return values


@requires(policy.may_edit_rules)
def badge_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    badge = Badge.objects.filter(pk=pk).first() if pk is not None else None
    if pk is not None and badge is None:
        raise Http404
    if request.method == "POST":
        try:
            saved = do_save_badge(request.user, _badge_input(request.POST), pk)
        except PointsRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The badge is saved."))
            return redirect("badge", saved.code)
    context = {
        "badge": badge,
        "builtin": badge is not None and badge.builtin,
        "values": _form_values(request, badge),
        "metrics": [(m, metric_words(m).name(current_lang())) for m in metric_names()],
        "comparisons": Comparison.choices,
        "period_kinds": PeriodKind.choices,
    }
    return render(request, "points/badge_form.html", context)


@requires(policy.may_edit_rules)
def delete_badge(request: HttpRequest, pk: int) -> HttpResponse:
    badge = Badge.objects.filter(pk=pk).first()
    if badge is None:
        raise Http404
    if request.method == "POST":
        try:
            removed = do_delete_badge(request.user, pk, request.POST.get("confirm") == "1")
        except PointsRefused as refused:
            messages.error(request, str(refused))
            return redirect("badge", badge.code)
        messages.success(request, _("The badge is deleted, with %(count)s awards.")
                         % {"count": removed})  # fmt: skip
        return redirect("badges")
    return render(request, "points/confirm_delete.html", {
        "what": badge.name, "count": badge.awards.count(),
        "consequence": _("Everyone who holds this badge loses it."),
    })  # fmt: skip


@require_POST
@requires(policy.may_run_awards)
def run_awards(request: HttpRequest) -> HttpResponse:
    period = request.POST.get("period", "").strip() or None
    changed = do_run_awards(request.user, period)
    messages.success(
        request, _("The awards are up to date: %(count)s changes.") % {"count": changed}
    )
    return redirect("points-editor")
