"""One person's appraisal report as an A4 PDF: the scheme, every indicator with its value,
points and explanation, the dimension scores, total, grade, coefficient, pay (where the
reader may see it), the interview record and a block for signatures. Laid out by
WeasyPrint from an HTML template, in Noto Sans CJK, whose glyphs it embeds."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from kaohe.appraisals import presenter
from kaohe.appraisals.models import Appraisal, Interview


def report_html(appraisal: Appraisal, *, show_pay: bool) -> str:
    page = presenter.build(appraisal, show_pay=show_pay)
    interview = Interview.objects.filter(appraisal=appraisal).first()
    context: dict[str, Any] = {
        "appraisal": appraisal,
        "page": page,
        "interview": interview,
        "made_at": timezone.localtime(),
    }
    return render_to_string("pay/report.html", context)


def report_pdf(appraisal: Appraisal, *, show_pay: bool) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a report is made

    return HTML(string=report_html(appraisal, show_pay=show_pay)).write_pdf()  # type: ignore[no-any-return]
