"""HR's rules and badges, a team's board turned off, a person's choice of initials."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.metrics import metric_names
from kaohe.org.models import Department
from kaohe.org.policy import access_for

from .. import policy
from ..models import Badge, BoardChoice, BoardSetting, Comparison, PeriodKind, PointRule, RuleKind

CATALOG_METRICS = frozenset(metric_names())
MAX_POINTS = 1000
CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")


class PointsRefused(Exception):
    """Refused for a reason the user can act on; worded for them."""


def _rule_data(rule: PointRule) -> dict[str, Any]:
    return {"rule_kind": rule.kind, "points": rule.points, "in_use": rule.active}


def do_save_rule(actor: Any, kind: str, points: int, active: bool = True) -> PointRule:
    """Set how many points an event of ``kind`` earns (the rule is made the first time).
    Points already earned keep the value they were earned at."""
    if kind not in RuleKind.values:
        raise PointsRefused(_("Choose what the points are earned for from the list."))
    if not 0 < points <= MAX_POINTS:
        raise PointsRefused(_("Points are a whole number from 1 to 1000."))
    with transaction.atomic(durable=True):
        if not policy.may_edit_rules(access_for(actor)):
            raise PermissionDenied
        rule = PointRule.objects.select_for_update().filter(kind=kind).first()
        before = _rule_data(rule) if rule is not None else None
        if rule is None:
            rule = PointRule(kind=kind)
        rule.points, rule.active, rule.changed_by = points, active, actor
        rule.save()
        record(actor, "points.rule", rule, before=before, after=_rule_data(rule))
        return rule


def do_delete_rule(actor: Any, rule_id: int, confirmed: bool) -> int:
    """Delete a rule and the points earned under it (the boards lose them); only once the
    user has confirmed. The number of ledger rows removed."""
    with transaction.atomic(durable=True):
        if not policy.may_edit_rules(access_for(actor)):
            raise PermissionDenied
        rule = PointRule.objects.select_for_update().filter(pk=rule_id).first()
        if rule is None:
            raise PermissionDenied
        if not confirmed:
            raise PointsRefused(_("Confirm the deletion: the points earned under it go too."))
        earned = rule.entries.count()
        record(actor, "points.rule_delete", rule, before={**_rule_data(rule), "entries": earned})
        rule.delete()
        return earned


@dataclass(frozen=True)
class BadgeInput:
    code: str
    name_zh: str
    name_en: str
    metric: str
    comparison: str
    period_kind: str = PeriodKind.MONTH
    min_volume: int = 0
    threshold: float | None = None
    higher_is_better: bool = True
    guard_metric: str = ""
    guard_at_most: float = 0
    description_zh: str = ""
    description_en: str = ""
    active: bool = True


def _check_badge(given: BadgeInput) -> None:
    if not CODE.match(given.code):
        raise PointsRefused(
            _("The code is 2–40 lower-case letters, digits and hyphens, e.g. qa-champion.")
        )
    if not given.name_zh.strip() or not given.name_en.strip():
        raise PointsRefused(_("Give the badge a name in Chinese and in English."))
    if given.metric not in CATALOG_METRICS:
        raise PointsRefused(_("Choose the metric from the catalog's list."))
    if given.guard_metric and given.guard_metric not in CATALOG_METRICS:
        raise PointsRefused(_("Choose the condition's metric from the catalog's list."))
    if given.comparison not in Comparison.values:
        raise PointsRefused(_("Choose how the metric is compared from the list."))
    if given.comparison in (Comparison.AT_LEAST, Comparison.AT_MOST) and given.threshold is None:
        raise PointsRefused(_("“At least” and “at most” need a threshold."))
    if given.period_kind not in PeriodKind.values:
        raise PointsRefused(_("A badge is monthly or quarterly."))
    if given.min_volume < 0:
        raise PointsRefused(_("The minimum volume is 0 or more."))


def _badge_data(badge: Badge) -> dict[str, Any]:
    return {
        "code": badge.code, "name_zh": badge.name_zh, "name_en": badge.name_en,
        "metric": badge.metric, "comparison": badge.comparison,
        "threshold": badge.threshold, "min_volume": badge.min_volume,
        "guard_metric": badge.guard_metric or None, "period_kind": badge.period_kind,
        "in_use": badge.active,
    }  # fmt: skip


def do_save_badge(actor: Any, given: BadgeInput, badge_id: int | None = None) -> Badge:
    """A new badge of HR's, or a change to one (a built-in badge keeps its code). Awards
    already made stay; the next run follows the new rule."""
    _check_badge(given)
    with transaction.atomic(durable=True):
        if not policy.may_edit_rules(access_for(actor)):
            raise PermissionDenied
        if badge_id is None:
            badge, before = Badge(), None
        else:
            found = Badge.objects.select_for_update().filter(pk=badge_id).first()
            if found is None:
                raise PermissionDenied
            badge, before = found, _badge_data(found)
        values = asdict(given)
        if badge.builtin:
            values["code"] = badge.code
        if Badge.objects.filter(code=values["code"]).exclude(pk=badge.pk).exists():
            raise PointsRefused(_("Another badge has this code: choose another one."))
        for name, value in values.items():
            setattr(badge, name, value.strip() if isinstance(value, str) else value)
        badge.changed_by = actor
        badge.save()
        record(actor, "points.badge", badge, before=before, after=_badge_data(badge))
        return badge


def do_delete_badge(actor: Any, badge_id: int, confirmed: bool) -> int:
    """Delete one of HR's badges and its awards, once confirmed; a built-in badge is
    turned off instead. The number of awards removed."""
    with transaction.atomic(durable=True):
        if not policy.may_edit_rules(access_for(actor)):
            raise PermissionDenied
        badge = Badge.objects.select_for_update().filter(pk=badge_id).first()
        if badge is None:
            raise PermissionDenied
        if badge.builtin:
            raise PointsRefused(_("A built-in badge cannot be deleted: turn it off instead."))
        if not confirmed:
            raise PointsRefused(_("Confirm the deletion: the badge's awards go too."))
        awarded = badge.awards.count()
        record(actor, "points.badge_delete", badge,
               before={**_badge_data(badge), "awards": awarded})  # fmt: skip
        badge.delete()
        return awarded


def do_set_board(actor: Any, department_id: int, hidden: bool) -> BoardSetting:
    """Turn a team's leaderboard off (or on again) for its members."""
    with transaction.atomic(durable=True):
        department = Department.objects.filter(pk=department_id).first()
        if department is None or not policy.may_set_board(access_for(actor), department):
            raise PermissionDenied
        setting, _made = BoardSetting.objects.select_for_update().get_or_create(
            department=department
        )
        before = {"board_off": setting.hidden}
        setting.hidden, setting.changed_by = hidden, actor
        setting.save()
        record(actor, "points.board", setting, before=before, after={"board_off": hidden})
        return setting


def do_choose_initials(actor: Any, initials: bool) -> BoardChoice:
    """The employee's choice: shown on the boards by initials, or by name."""
    with transaction.atomic(durable=True):
        access = access_for(actor)
        if not policy.may_choose_display(access) or access.employee is None:
            raise PermissionDenied
        choice, _made = BoardChoice.objects.select_for_update().get_or_create(
            employee=access.employee
        )
        before = {"initials": choice.initials}
        choice.initials = initials
        choice.save()
        record(actor, "points.initials", choice, before=before, after={"initials": initials})
        return choice
