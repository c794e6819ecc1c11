"""The HR page for operational data: upload → a background check (nothing written) →
the user confirms → a background import → the result. The page polls the job's progress."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from kaohe.core import Lang
from kaohe.i18n import current_lang, listed
from kaohe.insights.sentiment import model_problem
from kaohe.metrics import SOURCES
from kaohe.org.policy import requires
from kaohe.uploads import UploadRefused, save_upload, upload_path

from . import actions, policy
from .models import DataBatch, ImportJob


def _sources(lang: Lang) -> list[dict[str, Any]]:
    """Each source in words, with its columns as the page lists them."""
    shown = []
    for source in SOURCES.values():
        columns = []
        for column in source.columns:
            notes = [column.hint(lang)] if column.hint else []
            if column.choices:
                notes.append(" / ".join(column.spellings(lang)))
            columns.append({
                "name": column.name, "label": column.label(lang),
                "required": column.required, "headers": listed(column.chinese_headers),
                "notes": "; ".join(notes),
            })  # fmt: skip
        label = source.label(lang)
        named = f"{label}（{source.name}）" if lang == "zh" else f"{label} ({source.name})"
        shown.append({"name": source.name, "label": label, "named": named, "columns": columns})
    return shown


def _page(request: HttpRequest, **context: Any) -> HttpResponse:
    lang = current_lang()
    context.setdefault("source", "")
    context.update(
        sources=_sources(lang),
        batches=DataBatch.objects.select_related("imported_by", "imported_by__employee")[:20],
        retention_hours=settings.UPLOAD_RETENTION_HOURS,
        time_zone=settings.TIME_ZONE,
        scored_sources=SCORED_SOURCES,
    )
    problem = model_problem()
    context["sentiment_problem"] = problem.text() if problem else ""
    if "job" in context:
        context.update(_job_context(context["job"], lang))
    return render(request, "data/import.html", context)


# The sources whose texts the sentiment model scores as they are imported.
SCORED_SOURCES = frozenset(name for name, source in SOURCES.items() if source.scored)


def _sentiment_note(job: ImportJob) -> str:
    """For a checked or imported file of texts the model did not score: why, and what to do."""
    if job.source not in SCORED_SOURCES or job.refused or job.result.get("sentiment_model"):
        return ""
    problem = model_problem()
    if job.stage == ImportJob.Stage.CHECKED:
        return problem.text() if problem else ""
    if job.stage != ImportJob.Stage.DONE or not job.has_news:
        return ""
    if problem:
        return problem.text()
    return _(
        "These texts were imported without sentiment scores: the model was missing at the "
        "time. It is there now: import the file again to score them."
    )


def _job_context(job: ImportJob, lang: Lang) -> dict[str, Any]:
    labels = {c.name: c.label(lang) for c in SOURCES[job.source].columns}
    problems = [
        {"line": p["line"], "field": p["field"], "label": labels.get(p["field"], ""),
         "reason": p[lang]}
        for p in job.problems
    ]  # fmt: skip
    unknown = job.result.get("unknown_employees") or {}
    return {
        "job_problems": problems,
        "job_error": (job.error or {}).get(lang, ""),
        "job_unknown": list(unknown)[:50],
        "job_unknown_count": len(unknown),
        "job_upload_gone": job.stage == ImportJob.Stage.CHECKED and not upload_path(job.upload),
        "job_source_label": SOURCES[job.source].label(lang),
        "job_sentiment_note": _sentiment_note(job),
    }


@requires(policy.can_open_data_page)
def data_import(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    source = request.POST.get("source", "")
    upload = request.FILES.get("file")
    quarantine = request.POST.get("quarantine") == "on"
    if source not in SOURCES:
        return _page(request, error=_("Choose what the file holds."))
    if upload is None:
        return _page(request, error=_("Choose a CSV or XLSX file first."), source=source)
    try:
        saved = save_upload(upload)
    except UploadRefused as refused:
        return _page(request, error=str(refused), source=source)
    job = actions.do_check_upload(
        request.user, source, saved, quarantine=quarantine, lang=current_lang()
    )
    return _to_job(request, job)


def _to_job(request: HttpRequest, job: ImportJob) -> HttpResponse:
    target = redirect("data-job", job.pk)
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(target.url)
    return target


def _own_job(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob, pk=pk, user=request.user)


@require_GET
@requires(policy.can_open_data_page)
def data_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    return _page(request, job=job, source=job.source)


@require_GET
@requires(policy.can_open_data_page)
def data_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    context = {"job": job, **_job_context(job, current_lang())}
    return render(request, "data/import.html#job", context)


@require_POST
@requires(policy.can_open_data_page)
def data_job_import(request: HttpRequest, pk: int) -> HttpResponse:
    job = _own_job(request, pk)
    actions.do_start_import(request.user, job)
    return _to_job(request, job)
