"""The sentiment section's one audited act: exporting the calls QA picks, as CSV. The file
holds what the reader may see on the page, chosen the same way; who exported which calls
is kept in the audit log, as every file about people's work is."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.core import Lang
from kaohe.org.policy import access_for
from kaohe.pay.actions import Exported
from kaohe.tabular import SafeWriter

from . import policy
from .sentiment_calls import CallQuery, CallRow, read_calls, score_shown


def do_export_call_sentiment(actor: Any, query: CallQuery, lang: Lang) -> Exported:
    """The chosen calls of the reader's agents as CSV in ``lang`` (UTF-8 with a BOM, for
    spreadsheets), every call rather than a page. Raises CallQueryError for a choice that
    does not exist, PermissionDenied for a reader with no calls to read."""
    access = access_for(actor)
    if not policy.can_open_call_sentiment(access):
        raise PermissionDenied
    with transaction.atomic(durable=True):
        calls = read_calls(access, query)
        period = calls.period.name if calls.period else ""
        with translation.override("zh-hans" if lang == "zh" else "en"):
            data = _csv(calls.rows)
            stem = _("call-sentiment")
        record(
            actor, "sentiment.export", None,
            after={"period": period, "filter": query.filter, "agent": query.agent,
                   "queue": query.queue, "rows": len(calls.rows), "language": lang},
        )  # fmt: skip
    return Exported(f"{stem}-{period or 'none'}.csv", "text/csv; charset=utf-8", data)


def _csv(rows: list[CallRow]) -> bytes:
    out = io.StringIO()
    writer = SafeWriter(out, lineterminator="\r\n")
    writer.writerow([
        _("Call"), _("Employee number"), _("Agent"), _("Queue"), _("Time"),
        _("Customer turns"), _("Customer at the start"), _("Customer at the end"),
        _("Customer's lowest point"), _("Agent's mean"), _("Started negative"),
        _("Ended negative"), _("Recovered"),
    ])  # fmt: skip
    for row in rows:
        call = row.call
        writer.writerow([
            call.call_id, call.agent_id or "", row.agent_name, call.queue or "",
            call.offered_at.strftime("%Y-%m-%d %H:%M"), call.customer_turns,
            score_shown(call.customer_start, ""), score_shown(call.customer_end, ""),
            score_shown(call.customer_lowest, ""), score_shown(call.agent_mean, ""),
            _yes_no(call.started_negative), _yes_no(call.ended_negative),
            _yes_no(call.recovered),
        ])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")
