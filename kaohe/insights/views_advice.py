"""The weight advice's pages: the signals found with their figures, the proposals and the
stages on offer, HR's launch flags; one proposal with its changes, its YAML diff and the
what-if, accepted as it is or edited, or rejected. Views look up, ask the policy, call an
action, render."""

from __future__ import annotations

import difflib
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.analytics import ReweighError, indicator_weights, repoint
from kaohe.core import round_half_up
from kaohe.i18n import current_lang
from kaohe.org.policy import Access, access_for, requires
from kaohe.schemes.findings import check_text
from kaohe.schemes.models import SchemeVersion

from . import policy
from .actions_advice import (
    AdviceRefused,
    LaunchFlagInput,
    do_accept_proposal,
    do_delete_launch_flag,
    do_end_launch_flag,
    do_look_for_signals,
    do_propose_stage,
    do_reject_proposal,
    do_save_launch_flag,
    is_stale,
)
from .advice_proposals import (
    STAGE_NAMES,
    indicator_choices,
    schemes_in_use,
    stage_offers,
)
from .models import AdviceRun, LaunchFlag, Proposal

DECIDED_SHOWN = 20  # decided proposals listed on the page, newest first


# --- numbers as people read them -------------------------------------------------------------


def _number(value: Any, places: str = "0.1") -> str:
    if value is None:
        return "—"
    rounded = round_half_up(Decimal(str(value)), Decimal(places))
    shown = format(rounded.normalize(), "f") if rounded != rounded.to_integral() else (
        str(int(rounded)))  # fmt: skip
    return "0" if shown == "-0" else shown


def _with_unit(value: Any, unit: str) -> str:
    shown = _number(value)
    if value is None or not unit:
        return shown
    if unit == "%":
        return f"{shown}%" if current_lang() == "zh" else f"{shown} %"
    return _("%(hours)s h") % {"hours": shown}


# --- the advice page ---------------------------------------------------------------------


def _signals(access: Access, run: AdviceRun | None) -> list[dict[str, Any]]:
    if run is None:
        return []
    lang = current_lang()
    shown = []
    for signal in run.signals.select_related("department", "flag"):
        if not policy.can_read_signal(access, signal.department_id):
            continue
        shown.append({
            "signal": signal,
            "kind": _kind_label(signal.kind),
            "whose": _("the organisation") if signal.for_organisation else signal.subject_name,
            "figures": [_figure(f, lang) for f in signal.figures],
            "weight": _number(signal.weight),
        })  # fmt: skip
    return shown


def _kind_label(kind: str) -> str:
    return {
        "key_accounts": _("Key-account churn risk"),
        "process": _("Process bottleneck"),
        "launch": _("New-product launch"),
    }.get(kind, kind)


def _figure(data: dict[str, Any], lang: str) -> dict[str, Any]:
    return {
        "name": data["name_zh"] if lang == "zh" else data["name_en"],
        "reported": data["reported"],
        "baseline": _with_unit(data["baseline"], data["unit"]),
        "readings": [
            {
                "period": r["period"],
                "value": _with_unit(r["value"], data["unit"]),
                "base": _number(r["base"], "1"),
            }
            for r in data["readings"]
        ],
    }


def _proposals(access: Access) -> dict[str, list[dict[str, Any]]]:
    found = Proposal.objects.select_related("base_version", "compare_cycle", "accepted_version")
    pending = [p for p in found.filter(status=Proposal.Status.PENDING)
               if policy.can_read_proposal(access, p)]  # fmt: skip
    decided = [
        p
        for p in found.exclude(status=Proposal.Status.PENDING)[: DECIDED_SHOWN * 3]
        if policy.can_read_proposal(access, p)
    ][:DECIDED_SHOWN]
    return {
        "pending": [_listed(p) for p in pending],
        "decided": [_listed(p) for p in decided],
    }


def _listed(proposal: Proposal) -> dict[str, Any]:
    return {"proposal": proposal, "title": _title(proposal), "stale": proposal.is_pending
            and is_stale(proposal), "changes": len(proposal.changes)}  # fmt: skip


def _title(proposal: Proposal) -> str:
    if proposal.kind == Proposal.Kind.STAGE:
        stage = STAGE_NAMES.get(proposal.stage)
        name = stage(current_lang()) if stage else proposal.stage
        return _("Move to the %(stage)s-stage weights") % {"stage": name}
    return _("More weight where the signals point")


@requires(policy.can_read_advice)
def advice(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    run = AdviceRun.objects.first()
    versions = [v for v in schemes_in_use() if policy.can_propose_stage(access, v)]
    today = timezone.localdate()
    flags = [{"flag": f, "current": f.is_current(today), "indicators": ", ".join(f.indicators)}
             for f in LaunchFlag.objects.all()]  # fmt: skip
    context = {
        "run": run,
        "signals": _signals(access, run),
        "proposals": _proposals(access),
        "offers": [
            {"version": v, "stage": s, "name": STAGE_NAMES[s](current_lang())}
            for v, s in stage_offers(versions)
        ],
        "flags": flags,
        "can_look": policy.can_look_for_signals(access),
        "can_set_flags": policy.can_set_launch_flags(access),
    }
    return render(request, "insights/advice/home.html", context)


@require_POST
@requires(policy.can_look_for_signals)
def look(request: HttpRequest) -> HttpResponse:
    report = do_look_for_signals(request.user)
    messages.success(request, _(
        "Looked at %(quarters)s: %(signals)d signals, %(made)d new proposals."
    ) % {"quarters": ", ".join(report.run.quarters) or "—", "signals": report.signals,
         "made": len(report.made)})  # fmt: skip
    return redirect("advice")


@require_POST
@requires(policy.can_read_advice)
def propose_stage(request: HttpRequest) -> HttpResponse:
    version = SchemeVersion.objects.filter(pk=_int(request.POST.get("version"))).first()
    if version is None:
        raise Http404
    if not policy.can_propose_stage(access_for(request), version):
        raise PermissionDenied
    try:
        made = do_propose_stage(request.user, version.pk, request.POST.get("stage", ""))
    except AdviceRefused as refused:
        messages.error(request, str(refused))
        return redirect("advice")
    return redirect("advice-proposal", pk=made.pk)


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- one proposal --------------------------------------------------------------------------


def _visible(request: HttpRequest, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related(
            "base_version", "compare_cycle", "compare_version", "accepted_version", "decided_by"
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None or not policy.can_read_proposal(access_for(request), proposal):
        raise Http404
    return proposal


def _changes(proposal: Proposal) -> list[dict[str, Any]]:
    lang = current_lang()
    return [
        {
            "name": c["name_zh"] if lang == "zh" else c["name_en"],
            "indicator": c["indicator"], "dimension": c["dimension"], "raised": c["raised"],
            "points_before": _number(c["points_before"], "0.01"),
            "points_after": _number(c["points_after"], "0.01"),
            "weight_before": _with_unit(c["weight_before"], "%"),
            "weight_after": _with_unit(c["weight_after"], "%"),
            "reason": c["reason_zh"] if lang == "zh" else c["reason_en"],
        }
        for c in proposal.changes
    ]  # fmt: skip


def yaml_diff(before: str, after: str) -> list[tuple[str, str]]:
    """The changed lines with three of context, each marked add, del, hunk or same."""
    lines = []
    for line in list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm=""))[
        2:
    ]:
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1], "same")
        lines.append((kind, line))
    return lines


def _proposal_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    access = access_for(request)
    stale = proposal.is_pending and is_stale(proposal)
    lang = current_lang()
    shown_text = proposal.accepted_text or proposal.text
    return {
        "proposal": proposal,
        "title": _title(proposal),
        "changes": _changes(proposal),
        "skipped": [s["reason_zh"] if lang == "zh" else s["reason_en"] for s in proposal.skipped],
        "diff": yaml_diff(proposal.base_text, shown_text),
        "signals": [
            {"signal": s, "kind": _kind_label(s.kind)}
            for s in proposal.signals.all()
            if policy.can_read_signal(access, s.department_id)
        ],
        "stale": stale,
        "can_decide": proposal.is_pending
        and not stale
        and policy.can_decide_proposal(access, proposal),
    }


@requires(policy.can_read_advice)
def proposal_page(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _visible(request, pk)
    return render(request, "insights/advice/proposal.html", _proposal_context(request, proposal))


def _deciding(request: HttpRequest, pk: int) -> Proposal:
    proposal = _visible(request, pk)
    if not policy.can_decide_proposal(access_for(request), proposal):
        raise PermissionDenied
    return proposal


@require_POST
@requires(policy.can_read_advice)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _deciding(request, pk)
    edited = request.POST.get("text")
    try:
        done = do_accept_proposal(request.user, proposal.pk, edited)
    except AdviceRefused as refused:
        messages.error(request, str(refused))
        if edited is not None:
            return _editor(request, proposal, edited, status=422)
        return redirect("advice-proposal", pk=proposal.pk)
    messages.success(request, _(
        "Accepted: %(version)s is the scheme's new version for the cycles to come. Cycles "
        "already running keep the version they started with."
    ) % {"version": done.accepted_version})  # fmt: skip
    return redirect("advice-proposal", pk=proposal.pk)


@require_POST
@requires(policy.can_read_advice)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _deciding(request, pk)
    try:
        do_reject_proposal(request.user, proposal.pk, request.POST.get("reason", ""))
    except AdviceRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Rejected, with your reason."))
    return redirect("advice-proposal", pk=proposal.pk)


# --- editing before accepting ----------------------------------------------------------------


def _points_table(text: str) -> list[dict[str, Any]]:
    """The dimensions and their indicators' points and weights, for the points form."""
    try:
        data = yaml.safe_load(text)
        weights = indicator_weights(data)
    except (yaml.YAMLError, KeyError, TypeError, ZeroDivisionError, InvalidOperation):
        return []
    lang = current_lang()

    def named(item: dict[str, Any]) -> str:
        name = item.get("name")
        return str(name.get(lang) or name.get("zh")) if isinstance(name, dict) else str(
            name or item.get("id"))  # fmt: skip

    return [
        {
            "name": named(dimension), "weight": _number(dimension.get("weight"), "0.01"),
            "indicators": [
                {"id": i["id"], "name": named(i), "points": _number(i.get("max_points"), "0.01"),
                 "weight": _with_unit(float(weights.get(i["id"], 0)), "%")}
                for i in dimension.get("indicators") or []
            ],
        }
        for dimension in data.get("dimensions") or []
    ]  # fmt: skip


def _editor(request: HttpRequest, proposal: Proposal, text: str, *, status: int = 200,
            errors: list[str] | None = None) -> HttpResponse:  # fmt: skip
    _scheme, findings = check_text(text, str(proposal.base_version))
    context = {
        **_proposal_context(request, proposal),
        "text": text,
        "points": _points_table(text),
        "findings": findings,
        "has_errors": any(f["severity"] == "error" for f in findings),
        "summary": [],
        "errors": errors or [],
        "changed": text != proposal.text,
    }
    template = "insights/advice/edit.html#editor" if request.htmx else "insights/advice/edit.html"
    return render(request, template, context, status=status)


@requires(policy.can_read_advice)
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The proposed text in the YAML editor and the points form; a POST applies the points
    typed to the text (the rules scale with them) and draws the editor again."""
    proposal = _deciding(request, pk)
    if not proposal.is_pending or is_stale(proposal):
        return redirect("advice-proposal", pk=proposal.pk)
    if request.method != "POST":
        return _editor(request, proposal, proposal.text)
    text = request.POST.get("text", proposal.text)
    if "\r" not in proposal.text:
        text = text.replace("\r\n", "\n")
    points, errors = {}, []
    for key, value in request.POST.items():
        if key.startswith("points-") and value.strip():
            try:
                points[key.removeprefix("points-")] = Decimal(value.strip())
            except InvalidOperation:
                errors.append(_("Points of %(id)s: write a number, e.g. 12 or 7.5.")
                              % {"id": key.removeprefix("points-")})  # fmt: skip
    if not errors:
        try:
            text = repoint(text, points)
        except ReweighError as refused:
            errors.append(refused.text(current_lang()))
    return _editor(request, proposal, text, errors=errors, status=422 if errors else 200)


# --- launch flags --------------------------------------------------------------------------


def _flag_context(flag: LaunchFlag | None, posted: Any = None, error: AdviceRefused | None = None
                  ) -> dict[str, Any]:  # fmt: skip
    lang = current_lang()
    chosen = set(posted.getlist("indicators")) if posted is not None else set(
        flag.indicators if flag else [])  # fmt: skip

    def value(name: str, default: Any) -> Any:
        return posted.get(name, "") if posted is not None else default

    return {
        "flag": flag,
        "name": value("name", flag.name if flag else ""),
        "starts_on": value("starts_on", flag.starts_on.isoformat() if flag else ""),
        "ends_on": value("ends_on", flag.ends_on.isoformat() if flag else ""),
        "weight": str(value("weight", flag.weight if flag else 3)),
        "note": value("note", flag.note if flag else ""),
        "choices": [
            {"id": name, "name": text(lang), "schemes": ", ".join(codes), "checked": name in chosen}
            for name, (text, codes) in indicator_choices().items()
        ],
        "weights": ["1", "2", "3", "4", "5"],
        "error": str(error) if error else "",
        "error_field": error.field if error else "",
    }


def _day(posted: Any, name: str) -> date:
    try:
        return date.fromisoformat(posted.get(name, "").strip())
    except ValueError:
        raise AdviceRefused(_("Give the day as YYYY-MM-DD, e.g. 2026-10-01."), name) from None


def _flag_input(posted: Any) -> LaunchFlagInput:
    weight = _int(posted.get("weight"))
    return LaunchFlagInput(
        name=posted.get("name", ""), starts_on=_day(posted, "starts_on"),
        ends_on=_day(posted, "ends_on"), indicators=posted.getlist("indicators"),
        weight=weight, note=posted.get("note", ""),
    )  # fmt: skip


@requires(policy.can_set_launch_flags)
def flag_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    flag = None if pk is None else LaunchFlag.objects.filter(pk=pk).first()
    if pk is not None and flag is None:
        raise Http404
    if request.method != "POST":
        return render(request, "insights/advice/flag_form.html", _flag_context(flag))
    try:
        do_save_launch_flag(request.user, pk, _flag_input(request.POST))
    except AdviceRefused as refused:
        context = _flag_context(flag, request.POST, refused)
        return render(request, "insights/advice/flag_form.html", context, status=422)
    messages.success(request, _("Launch flag saved. Look for signals to have it proposed."))
    return redirect("advice")


@require_POST
@requires(policy.can_set_launch_flags)
def flag_end(request: HttpRequest, pk: int) -> HttpResponse:
    if not LaunchFlag.objects.filter(pk=pk).exists():
        raise Http404
    try:
        do_end_launch_flag(request.user, pk)
    except AdviceRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Launch flag ended: the advice no longer reads it."))
    return redirect("advice")


@requires(policy.can_set_launch_flags)
def flag_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """A page asking to confirm; its POST deletes."""
    flag = LaunchFlag.objects.filter(pk=pk).first()
    if flag is None:
        raise Http404
    if request.method != "POST":
        return render(request, "insights/advice/flag_delete.html", {"flag": flag})
    do_delete_launch_flag(request.user, pk)
    messages.success(request, _("Launch flag deleted."))
    return redirect("advice")
