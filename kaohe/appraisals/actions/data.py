"""Refreshing a frozen appraisal's data: HR's explicit, audited exception to the cut-off.

After the manager's review an appraisal scores from the values frozen then. When data is
corrected afterwards, HR may take the newest values — the audit row and the history say
which values changed, from what to what, and why. A finalised result never changes here;
only an appeal makes a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.org.models import person_name
from kaohe.org.policy import access_for

from .. import policy
from ..inputs import freeze
from ..models import Appraisal, Transition
from ..workflow import REFRESHABLE
from .steps import WorkflowError


@dataclass(frozen=True)
class ValueChange:
    input: str
    before: str | None
    after: str | None


def do_refresh_frozen_data(actor: Any, appraisal_id: int, reason: str) -> list[ValueChange]:
    """Take the newest metric values into a frozen appraisal; the values that changed."""
    reason = reason.strip()
    with transaction.atomic(durable=True):
        appraisal = (
            Appraisal.objects.select_for_update(of=("self",))
            .select_related("employee", "employee__department", "cycle", "version")
            .filter(pk=appraisal_id)
            .first()
        )
        access = access_for(actor)
        if appraisal is None or not policy.can_refresh_data(access, appraisal):
            raise PermissionDenied
        if not appraisal.frozen or appraisal.current_state not in REFRESHABLE:
            raise WorkflowError(
                _("Only an appraisal past the manager's review and not yet finalised can have "
                  "its data refreshed.")
            )  # fmt: skip
        if not reason:
            raise WorkflowError(_("Say why the data is refreshed."))
        old = {name: str(data["value"]) for name, data in appraisal.frozen_inputs.items()}
        appraisal.frozen_inputs = freeze(appraisal, appraisal.version.scheme())
        new = {name: str(data["value"]) for name, data in appraisal.frozen_inputs.items()}
        changes = [
            ValueChange(name, old.get(name), new.get(name))
            for name in sorted(set(old) | set(new))
            if old.get(name) != new.get(name)
        ]
        before_cutoff = appraisal.data_cutoff
        appraisal.data_cutoff = timezone.now()
        appraisal.save(update_fields=["frozen_inputs", "data_cutoff", "updated_at"])
        Transition.objects.create(
            appraisal=appraisal, action="refresh_data", source=appraisal.state,
            target=appraisal.state, actor=actor, actor_name=person_name(actor), reason=reason,
        )  # fmt: skip
        record(
            actor, "appraisal.refresh_data", appraisal,
            before={"data_cutoff": before_cutoff.isoformat() if before_cutoff else None,
                    **{f"value.{c.input}": c.before for c in changes}},
            after={"data_cutoff": appraisal.data_cutoff.isoformat(),
                   **{f"value.{c.input}": c.after for c in changes}},
            note=reason,
        )  # fmt: skip
    return changes
