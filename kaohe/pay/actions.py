"""The pay app's writes: budgets, and the record (and audit row) of every export.

Every ``do_*`` takes the actor and typed inputs, asks the policy, writes the audit row and
commits in one transaction; an export is recorded in the same transaction that makes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.audit.models import record
from kaohe.core import Lang
from kaohe.names import person_name
from kaohe.org.models import Department
from kaohe.org.policy import access_for

from . import policy
from .exports import Heading, csv_bytes, xlsx
from .models import PayBudget, PayExport
from .paylist import pay_list
from .report import report_pdf

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MOST = Decimal("999999999999.99")
REPORT_RELATIONS = (
    "employee", "employee__department", "employee__position", "cycle", "rater", "version",
)  # fmt: skip


class PayRefused(Exception):
    """Refused for a reason the user can act on; worded for them."""


@dataclass(frozen=True)
class Exported:
    filename: str
    content_type: str
    data: bytes

    def response(self) -> HttpResponse:
        """The file as a download, for the pages and the API alike; never cached (pay)."""
        response = HttpResponse(self.data, content_type=self.content_type)
        # RFC 6266: the Chinese file name for browsers that read filename*, ASCII otherwise.
        fallback = self.filename.encode("ascii", "ignore").decode().lstrip("-") or "export"
        response["Content-Disposition"] = (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(self.filename)}"
        )
        response["Cache-Control"] = "no-store"
        return response


def parse_amount(text: str) -> Decimal | None:
    """An amount typed on a page (``12,000``, ``12000.50``); None for an empty box."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise PayRefused(_("“%(text)s” is not an amount of money.") % {"text": text}) from None
    return checked_amount(amount)


def checked_amount(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount < 0 or amount > MOST:
        raise PayRefused(
            _("A budget is an amount from 0 to %(most)s yuan.") % {"most": f"{MOST:,}"}
        )
    return amount.quantize(Decimal("0.01"))


def do_set_budget(
    actor: Any, cycle_id: int, department_id: int, amount: Decimal | None
) -> PayBudget | None:
    """HR's performance-pay budget for a department in a cycle; None removes it."""
    amount = None if amount is None else checked_amount(amount)
    with transaction.atomic(durable=True):
        cycle = Cycle.objects.filter(pk=cycle_id).first()
        department = Department.objects.filter(pk=department_id).first()
        if cycle is None or department is None:
            raise PermissionDenied
        if not policy.can_set_budget(access_for(actor), department):
            raise PermissionDenied
        held = PayBudget.objects.filter(cycle=cycle, department=department).first()
        before = {"department": department.name, "budget": str(held.amount) if held else None}
        after = {"department": department.name, "budget": None if amount is None else str(amount)}
        if before == after:
            return held
        if amount is None:
            if held is not None:
                held.delete()
            made = None
        else:
            made, _created = PayBudget.objects.update_or_create(
                cycle=cycle, department=department, defaults={"amount": amount}
            )
        record(actor, "pay.budget", cycle, before=before, after=after)
        return made


def do_export_pay_list(actor: Any, cycle_id: int, format: str, lang: Lang) -> Exported:
    """The pay list as XLSX or CSV in ``lang``, recorded with the result versions it holds."""
    if format not in PayExport.Format.values:
        raise PayRefused(_("Export as XLSX or CSV."))
    access = access_for(actor)
    with transaction.atomic(durable=True):
        cycle = Cycle.objects.filter(pk=cycle_id).first()
        if cycle is None or not policy.can_open_pay_pages(access):
            raise PermissionDenied
        paylist = pay_list(access, cycle)
        export = PayExport.objects.create(
            cycle=cycle, format=format, language=lang, actor=actor,
            actor_name=person_name(actor), with_pay=paylist.with_pay,
            rows=len(paylist.rows), versions=paylist.versions,
        )  # fmt: skip
        heading = Heading(
            cycle.name, cycle.period, timezone.localtime(export.at), export.actor_name, export.pk
        )
        if format == PayExport.Format.XLSX:
            data, content_type = xlsx(paylist, heading, lang), XLSX_TYPE
        else:
            data, content_type = csv_bytes(paylist, lang), "text/csv; charset=utf-8"
        record(
            actor, "pay.export", export,
            after={"cycle": cycle.name, "format": format, "language": lang,
                   "rows": export.rows, "with_pay": export.with_pay},
        )  # fmt: skip
    stem = "考核结果及绩效工资表" if lang == "zh" else "appraisal-results-and-pay"
    return Exported(f"{stem}-{cycle.period}-{export.pk}.{format}", content_type, data)


def do_export_report(actor: Any, appraisal_id: int) -> Exported:
    """One person's appraisal report as a PDF, in the language of the request."""
    access = access_for(actor)
    with transaction.atomic(durable=True):
        appraisal = (
            Appraisal.objects.select_related(*REPORT_RELATIONS).filter(pk=appraisal_id).first()
        )
        if appraisal is None or not policy.can_export_report(access, appraisal):
            raise PermissionDenied
        show_pay = policy.report_shows_pay(access, appraisal)
        data = report_pdf(appraisal, show_pay=show_pay)
        record(
            actor, "pay.report", appraisal,
            after={"person": appraisal.employee.number, "with_pay": show_pay},
        )  # fmt: skip
    name = f"{appraisal.employee.number}-{appraisal.cycle.period}.pdf"
    return Exported(name, "application/pdf", data)
