"""Writes of the attrition section: asking for a training, the training itself (run by
``tasks_attrition``), and HR's import and removal of the protected attributes.

Each asks the policy, writes the audit log and commits in one transaction. The audit log
records counts and codes only: never a person's score or protected attribute.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.ml.attrition import (
    HORIZONS,
    ProtectedFeature,
    ProxyFeature,
    TooLittleHistory,
    fairness_report,
    train,
)
from kaohe.org.models import Employee
from kaohe.org.policy import access_for

from . import policy
from .attrition_attributes import AttributeFile, read_attributes
from .attrition_features import FEATURES, build_history
from .attrition_summary import factors_of, fairness_of, summary_of
from .models import AttritionModel, AttritionScore, ProtectedAttribute

log = logging.getLogger("kaohe.insights")
Status = AttritionModel.Status


@dataclass(frozen=True)
class TrainingRequest:
    horizon_months: int = 6
    left_out: tuple[str, ...] = ()
    as_of: date | None = None  # today when not given


def do_request_attrition_training(
    actor: Any, wanted: TrainingRequest, *, wait: bool = False
) -> AttritionModel:
    """Queue a training, which the task runs (``do_train_attrition_model``); with ``wait``,
    train here and now instead (the demo does). The record of the training."""
    from .tasks_attrition import train_attrition_model

    if not policy.can_train_attrition_model(access_for(actor)):
        raise PermissionDenied
    if wanted.horizon_months not in HORIZONS:
        raise ValidationError({"horizon_months": _("Choose a horizon of 3 to 6 months.")})
    unknown = sorted(set(wanted.left_out) - set(FEATURES))
    if unknown:
        raise ValidationError({"left_out": _("Unknown feature: %s") % ", ".join(unknown)})
    if len(set(wanted.left_out)) == len(FEATURES):
        raise ValidationError({"left_out": _("Leave at least one feature in.")})
    with transaction.atomic(durable=True):
        made = AttritionModel.objects.create(
            requested_by=actor,
            as_of=wanted.as_of or timezone.localdate(),
            horizon_months=wanted.horizon_months,
            left_out=sorted(set(wanted.left_out)),
        )
        record(actor, "attrition.train", made, after={
            "as_of": made.as_of.isoformat(), "horizon_months": made.horizon_months,
            "left_out": made.left_out,
        })  # fmt: skip
        if not wait:  # after commit, so that a worker never misses the record
            transaction.on_commit(lambda: train_attrition_model.enqueue(made.pk))
    if wait:
        train_attrition_model.call(made.pk)
        made.refresh_from_db()
    return made


def do_train_attrition_model(actor: Any, model_id: int) -> AttritionModel:
    """Build the history, train, score today's people and keep it all; or keep why not.
    Someone who may no longer train (their role was taken away since they asked) fails the
    queued training, which says so."""
    run = AttritionModel.objects.get(pk=model_id)
    if run.status not in (Status.QUEUED, Status.RUNNING):
        return run
    if actor is None or not policy.can_train_attrition_model(access_for(actor)):
        gone = {
            "zh": "提出训练的账号已无权训练模型",
            "en": "The account that asked for the training may no longer train the model",
        }
        _finish(actor, run, Status.FAILED, gone)
        raise PermissionDenied
    AttritionModel.objects.filter(pk=run.pk).update(status=Status.RUNNING)
    try:
        _train(actor, run)
    except Exception as error:
        log.exception("attrition model %s failed", run.pk)
        failed = f"{type(error).__name__}: {error}"
        _finish(actor, run, Status.FAILED, {"zh": f"训练失败：{failed}", "en": f"Failed: {failed}"})
    run.refresh_from_db()
    return run


def protected_attributes() -> dict[str, dict[str, str]]:
    """Per attribute, employee number → group: for the checks only."""
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for attribute, number, value in ProtectedAttribute.objects.values_list(
        "attribute", "employee__number", "value"
    ):
        found[attribute][number] = value
    return dict(found)


def _train(actor: Any, run: AttritionModel) -> None:
    history = build_history(run.as_of, run.horizon_months)
    table = history.table.without(run.left_out)
    attributes = protected_attributes()
    try:
        result = train(table, horizon_months=run.horizon_months, attributes=attributes)
    except (ProtectedFeature, ProxyFeature) as refused:
        _finish(actor, run, Status.REFUSED, {"zh": refused.text.zh, "en": refused.text.en},
                left_out=run.left_out, proxy_feature=refused.feature)  # fmt: skip
        return
    if isinstance(result, TooLittleHistory):
        reason = {"zh": result.reason.zh, "en": result.reason.en}
        _finish(actor, run, Status.TOO_LITTLE_HISTORY, reason, leavers=result.leavers)
        return
    assessed = result.assess(history.current.without(run.left_out))
    fairness = fairness_report({a.person: a.score for a in assessed}, attributes)
    counts = {attribute: len(groups) for attribute, groups in attributes.items()}
    with transaction.atomic(durable=True):
        AttritionModel.objects.filter(pk=run.pk).update(
            status=Status.TRAINED, finished_at=timezone.now(), message=None,
            leavers=result.leavers, people=result.people, snapshots=result.snapshots,
            chosen=result.chosen, summary=summary_of(result, run.left_out, counts),
            fairness=fairness_of(fairness), artifact=result.to_bytes(),
        )  # fmt: skip
        AttritionScore.objects.bulk_create(
            AttritionScore(
                model_id=run.pk, employee_id=history.numbers[a.person], score=a.score,
                band=a.band, factors=factors_of(a),
            )
            for a in assessed
        )  # fmt: skip
        record(actor, "attrition.trained", run, after={
            "status": Status.TRAINED, "chosen": result.chosen, "leavers": result.leavers,
            "scored": len(assessed),
        })  # fmt: skip


def _finish(
    actor: Any, run: AttritionModel, status: str, message: dict[str, str], **extra: Any
) -> None:
    with transaction.atomic(durable=True):
        AttritionModel.objects.filter(pk=run.pk).update(
            status=status, finished_at=timezone.now(), message=message,
            leavers=extra.get("leavers", 0),
        )  # fmt: skip
        record(actor, "attrition.trained", run, after={"status": status, **extra})


# --- protected attributes ----------------------------------------------------------------


def do_import_protected_attributes(actor: Any, path: Path, file_name: str) -> AttributeFile:
    """Replace every imported protected attribute with the file's, when it has no problem;
    the answer says what it held (or, with problems, why nothing was written)."""
    if not policy.can_import_protected_attributes(access_for(actor)):
        raise PermissionDenied
    numbers = dict(Employee.objects.values_list("number", "id"))
    found = read_attributes(path, file_name, set(numbers), timezone.localdate())
    if found.problems:
        return found
    with transaction.atomic(durable=True):
        ProtectedAttribute.objects.all().delete()
        ProtectedAttribute.objects.bulk_create(
            ProtectedAttribute(employee_id=numbers[number], attribute=attribute, value=value)
            for attribute, groups in sorted(found.values.items())
            for number, value in sorted(groups.items())
        )
        record(actor, "attrition.attributes_import", None, after={
            "file": file_name, "people": found.people,
            "attributes": sorted(found.values),
        })  # fmt: skip
    return found


def do_clear_protected_attributes(actor: Any) -> int:
    """Remove every imported protected attribute; how many values were removed."""
    if not policy.can_import_protected_attributes(access_for(actor)):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        removed, _kinds = ProtectedAttribute.objects.all().delete()
        record(actor, "attrition.attributes_clear", None, after={"removed": removed})
    return removed
