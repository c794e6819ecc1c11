"""The insights app's writes. Every ``do_*`` takes the actor and typed inputs, asks the
policy, writes the audit row and commits in one transaction.

Sections: the what-if simulator (saving, deleting and exporting a saved run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.core import Lang
from kaohe.names import person_name
from kaohe.org.policy import access_for
from kaohe.pay.actions import XLSX_TYPE, Exported

from . import policy
from .models import SavedWhatIf, WhatIfRun
from .whatif import WhatIfRefused, find_scheme, read_change, run_whatif, summarise
from .whatif.exports import Heading, csv_bytes, xlsx
from .whatif.jobs import run_of

# --- the what-if simulator ------------------------------------------------------------------

EXPORT_FORMATS = ("xlsx", "csv")


@dataclass(frozen=True)
class SaveWhatIf:
    name: str
    cycle_id: int
    replaced_id: int  # the cycle's scheme version the text stands in for
    text: str
    # A background run of the same change, finished: its figures are used, not run again.
    from_run: int | None = None


def do_save_whatif(actor: Any, given: SaveWhatIf) -> SavedWhatIf:
    """Keep a run — the changed text, the scheme it replaces, the summary figures over the
    saver's scope — to reopen and export. Raises WhatIfRefused for a missing name or a
    text with errors, PermissionDenied outside the saver's cycles and schemes."""
    access = access_for(actor)
    name = given.name.strip()
    if not name:
        raise WhatIfRefused(_("Name: give the what-if a name to find it by."))
    if len(name) > 200:
        raise WhatIfRefused(_("Name: at most 200 characters."))
    with transaction.atomic(durable=True):
        cycle = policy.whatif_cycles(access).filter(pk=given.cycle_id).first()
        if cycle is None:
            raise PermissionDenied
        try:
            replaced = find_scheme(access, cycle, version_id=given.replaced_id)
        except WhatIfRefused:
            raise PermissionDenied from None
        changed = read_change(given.text, replaced)
        summary = summarise(_run(access, actor, cycle, replaced, changed, given.from_run), cycle)
        saved = SavedWhatIf.objects.create(
            name=name, cycle=cycle, replaced=replaced, text=changed.text,
            scope=policy.whatif_scope(access), summary=summary.as_data(), created_by=actor,
            created_by_name=person_name(actor),
        )  # fmt: skip
        record(actor, "insights.whatif_save", saved, after=_described(saved))
    return saved


def _run(
    access: Any, actor: Any, cycle: Any, replaced: Any, changed: Any, from_run: int | None
) -> Any:
    """The run to save: the reader's finished background run of this very change if there
    is one, else the run made now."""
    made = (
        WhatIfRun.objects.filter(
            pk=from_run, created_by=actor, cycle=cycle, replaced=replaced, text=changed.text,
            status=WhatIfRun.Status.DONE,
        ).first()
        if from_run is not None
        else None
    )  # fmt: skip
    if made is not None and made.result:
        return run_of(made.result)
    return run_whatif(access, cycle, replaced, changed)


def _described(saved: SavedWhatIf) -> dict[str, Any]:
    """What the audit log keeps of a saved run: what it was, and its headline figures."""
    summary = saved.summary
    total = summary.get("total") or {}
    return {
        "name": saved.name,
        "cycle_name": saved.cycle.name,
        "scheme": str(saved.replaced),
        "people": summary.get("changed"),
        "up": summary.get("up"),
        "down": summary.get("down"),
        "pay_before": total.get("old"),
        "pay_after": total.get("new"),
    }


def do_delete_whatif(actor: Any, saved_id: int) -> None:
    with transaction.atomic(durable=True):
        saved = SavedWhatIf.objects.select_related("cycle", "replaced").filter(pk=saved_id).first()
        if saved is None or not policy.can_delete_whatif(access_for(actor), saved):
            raise PermissionDenied
        record(actor, "insights.whatif_delete", saved, before=_described(saved))
        saved.delete()


def do_export_whatif(actor: Any, saved_id: int, format: str, lang: Lang) -> Exported:
    """A saved run, run again now, as XLSX or CSV in ``lang``; the export is audited, as
    every file of people's pay is."""
    if format not in EXPORT_FORMATS:
        raise WhatIfRefused(_("Export as XLSX or CSV."))
    access = access_for(actor)
    with transaction.atomic(durable=True):
        saved = (
            policy.saved_whatifs_in_view(access)
            .select_related("cycle", "replaced")
            .filter(pk=saved_id)
            .first()
        )
        if saved is None:
            raise PermissionDenied
        changed = read_change(saved.text, saved.replaced)
        run = run_whatif(access, saved.cycle, saved.replaced, changed)
        if format == "xlsx":
            heading = Heading(
                saved.name, saved.cycle.name, saved.cycle.period, str(saved.replaced),
                saved.created_by_name, timezone.localtime(saved.created_at), person_name(actor),
                timezone.localtime(),
            )  # fmt: skip
            data = xlsx(run, summarise(run, saved.cycle), heading, lang)
            content_type = XLSX_TYPE
        else:
            data, content_type = csv_bytes(run, lang), "text/csv; charset=utf-8"
        record(
            actor, "insights.whatif_export", saved,
            after={"name": saved.name, "format": format, "language": lang,
                   "rows": len(run.rows)},
        )  # fmt: skip
    stem = "考核方案假设分析" if lang == "zh" else "what-if"
    return Exported(f"{stem}-{saved.cycle.period}-{saved.pk}.{format}", content_type, data)
