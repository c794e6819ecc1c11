"""HR's writes to cycles: create, choose schemes and base pay per position, import each
person's base pay, launch, remind. Each asks the policy, audits and commits in one
transaction; pages and commands call these."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.i18n import listed
from kaohe.org.models import Department, Employee
from kaohe.org.policy import access_for
from kaohe.schemes import policy as scheme_policy
from kaohe.schemes.models import SchemeVersion

from .. import policy
from ..base_pay import Problem, read_base_pay
from ..launch import make_cycle, start_launch
from ..models import Appraisal, BasePay, Cycle, CycleScheme
from ..notify import ReminderReport, remind
from ..workflow import ORDER, STATE_LABELS, State


class CycleRefused(Exception):
    """A cycle write refused, with every reason, worded for the user."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class CycleData:
    name: str
    period: str  # already checked: 2026-09, 2026-Q3, 2026-H2 or 2026
    departments: Sequence[Department]
    appeal_days: int = 7
    deadlines: Mapping[State, date] = field(default_factory=dict)


def deadline_problems(deadlines: Mapping[State, date]) -> list[str]:
    """Each stage's deadline must not come before an earlier stage's."""
    problems = []
    ordered = sorted(deadlines.items(), key=lambda item: ORDER.index(item[0]))
    for (earlier, first), (later, second) in pairwise(ordered):
        if second < first:
            problems.append(
                _("The deadline for “%(later)s” (%(second)s) is before the one for "
                  "“%(earlier)s” (%(first)s); stages come in order.")
                % {"later": STATE_LABELS[later], "second": second,
                   "earlier": STATE_LABELS[earlier], "first": first}
            )  # fmt: skip
    return problems


def do_create_cycle(actor: Any, data: CycleData) -> Cycle:
    access = access_for(actor)
    if not policy.can_create_cycle_for(access, data.departments):
        raise PermissionDenied
    problems = deadline_problems(data.deadlines)
    if problems:
        raise CycleRefused(problems)
    with transaction.atomic(durable=True):
        cycle = make_cycle(
            actor, name=data.name.strip(), period=data.period, departments=list(data.departments),
            appeal_days=data.appeal_days,
            deadlines={str(s): d.isoformat() for s, d in data.deadlines.items()},
        )  # fmt: skip
        record(actor, "cycle.create", cycle, after=_cycle_snapshot(cycle))
    return cycle


def _cycle_snapshot(cycle: Cycle) -> dict[str, Any]:
    return {
        "cycle_name": cycle.name,
        "period": cycle.period,
        "departments": [d.path for d in cycle.departments.all()],
        "appeal_days": cycle.appeal_days,
        "deadlines": cycle.deadlines,
        **{f"scheme.{s.position.name}": _setting_text(s) for s in _settings(cycle)},
    }


def _settings(cycle: Cycle) -> list[CycleScheme]:
    return list(cycle.schemes.select_related("position", "version").order_by("position__name"))


def _setting_text(setting: CycleScheme) -> str:
    if setting.left_out:
        return _("not appraised")
    scheme = str(setting.version) if setting.version else _("undecided")
    pay = "" if setting.base_pay is None else f" · {setting.base_pay}"
    return scheme + pay


def _manageable(actor: Any, cycle: Cycle) -> None:
    if not policy.can_manage_cycle(access_for(actor), cycle):
        raise PermissionDenied
    if cycle.status != Cycle.Status.DRAFT:
        raise CycleRefused([_("This cycle has already been launched.")])


@dataclass(frozen=True)
class PositionSetting:
    setting_id: int
    version_id: int | None  # None with left_out False: still undecided
    left_out: bool = False
    base_pay: Decimal | None = None


def do_save_cycle_settings(actor: Any, cycle: Cycle, settings: Sequence[PositionSetting]) -> int:
    """Each position's scheme version (or left out) and default base pay; how many
    changed. Refused whole when any is wrong."""
    _manageable(actor, cycle)
    access = access_for(actor)
    current = {s.pk: s for s in _settings(cycle)}
    versions = SchemeVersion.objects.in_bulk([s.version_id for s in settings if s.version_id])
    problems = []
    for wanted in settings:
        setting = current.get(wanted.setting_id)
        if setting is None:
            continue
        version = versions.get(wanted.version_id) if wanted.version_id else None
        if wanted.version_id and (version is None or not scheme_policy.can_use(access, version)):
            problems.append(_("%(position)s: choose one of the schemes listed.")
                            % {"position": setting.position.name})  # fmt: skip
        if wanted.base_pay is not None and (not wanted.base_pay.is_finite() or wanted.base_pay < 0):
            problems.append(_("%(position)s: base pay cannot be negative.")
                            % {"position": setting.position.name})  # fmt: skip
    if problems:
        raise CycleRefused(problems)
    before = {s.position.name: _setting_text(s) for s in current.values()}
    changed = 0
    with transaction.atomic(durable=True):
        for wanted in settings:
            setting = current.get(wanted.setting_id)
            if setting is None:
                continue
            new = (None if wanted.left_out else wanted.version_id, wanted.left_out, wanted.base_pay)
            if new != (setting.version_id, setting.left_out, setting.base_pay):
                setting.version_id, setting.left_out, setting.base_pay = new
                setting.save()
                changed += 1
        if changed:
            cycle.refresh_from_db()
            after = {s.position.name: _setting_text(s) for s in _settings(cycle)}
            record(actor, "cycle.settings", cycle,
                   before={k: v for k, v in before.items() if after.get(k) != v},
                   after={k: v for k, v in after.items() if before.get(k) != v})  # fmt: skip
    return changed


def do_import_base_pay(
    actor: Any, cycle: Cycle, path: Path, file_name: str
) -> tuple[int, list[Problem]]:
    """Each named person's base pay for the cycle, all or nothing: (people set, problems).
    The audit row lists every amount that changed, before and after."""
    _manageable(actor, cycle)
    amounts, problems = read_base_pay(cycle, path, file_name)
    if problems:
        return 0, problems
    current = {
        row.employee_id: (row.employee.number, row.amount)
        for row in BasePay.objects.filter(cycle=cycle).select_related("employee")
    }
    numbers = dict(Employee.objects.filter(pk__in=amounts).values_list("pk", "number"))
    before, after = {}, {}
    with transaction.atomic(durable=True):
        for employee_id, amount in amounts.items():
            old = current.get(employee_id, (None, None))[1]
            if old == amount:
                continue
            BasePay.objects.update_or_create(
                cycle=cycle, employee_id=employee_id, defaults={"amount": amount}
            )
            before[numbers[employee_id]] = None if old is None else str(old)
            after[numbers[employee_id]] = str(amount)
        record(actor, "cycle.base_pay", cycle, before=before, after=after, note=file_name)
    return len(amounts), []


def launch_problems(cycle: Cycle) -> list[str]:
    settings = _settings(cycle)
    undecided = [s.position.name for s in settings if not s.decided]
    problems = []
    if undecided:
        problems.append(
            _("Choose a scheme, or leave the position out, for: %(positions)s.")
            % {"positions": listed(undecided)}
        )
    elif not any(s.version_id for s in settings):
        problems.append(_("No one in scope has a scheme; nothing to launch."))
    return problems


def do_launch_cycle(actor: Any, cycle: Cycle, *, wait: bool = False) -> None:
    """Queue the making of the cycle's appraisals (or, with ``wait``, make them now)."""
    _manageable(actor, cycle)
    problems = launch_problems(cycle)
    if problems:
        raise CycleRefused(problems)
    # Waiting (the demo), the appraisals are made inside this transaction.
    with transaction.atomic(durable=not wait):
        record(actor, "cycle.launch", cycle, after=_cycle_snapshot(cycle))
        start_launch(cycle, wait=wait)


def overdue(cycle: Cycle) -> list[Appraisal]:
    today = timezone.localdate().isoformat()
    late_states = [state for state, day in cycle.deadlines.items() if day < today]
    return list(
        Appraisal.objects.filter(cycle=cycle, state__in=late_states)
        .select_related("employee", "employee__user", "rater", "rater__user", "cycle")
        .order_by("employee__number")
    )


def do_remind_overdue(actor: Any, cycle: Cycle) -> ReminderReport:
    """Remind whoever each overdue appraisal waits on, at most once a day per stage."""
    if not policy.can_manage_cycle(access_for(actor), cycle):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        report = remind(overdue(cycle), actor)
        # By state code, so that the log reads in each reader's language; one person may be
        # reminded at several stages.
        reminded: dict[str, list[dict[str, Any]]] = {}
        for name, state, count in report.sent:
            reminded.setdefault(name, []).append({"state": state, "appraisals": count})
        if reminded:
            record(actor, "cycle.remind", cycle, after=reminded)
    return report
