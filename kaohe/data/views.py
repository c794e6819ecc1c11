"""The HR page for operational data: upload → preview (nothing written) → import → result."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.metrics import SOURCES, ImportRefused
from kaohe.org.policy import requires
from kaohe.tabular import SUFFIXES

from . import policy, services
from .models import DataBatch

SESSION_KEY = "data_import"


def _page(request: HttpRequest, **context: object) -> HttpResponse:
    context.setdefault("sources", list(SOURCES))
    context.setdefault("batches", DataBatch.objects.select_related("imported_by")[:20])
    return render(request, "data/import.html", context)


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
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        return _page(
            request, error=_("%(name)s is not a CSV or XLSX file.") % {"name": name}, source=source
        )
    uploads = Path(settings.UPLOADS_DIR)
    uploads.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16) + suffix
    with (uploads / token).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    request.session[SESSION_KEY] = {
        "token": token, "name": name, "source": source, "quarantine": quarantine,
    }  # fmt: skip
    try:
        preview = services.preview_import(
            request.user, source, uploads / token, name, quarantine=quarantine
        )
    except ImportRefused as refused:
        return _page(request, refused=refused, file_name=name, source=source)
    return _page(request, preview=preview, file_name=name, source=source, quarantine=quarantine)


@require_POST
@requires(policy.can_open_data_page)
def data_import_apply(request: HttpRequest) -> HttpResponse:
    saved = request.session.get(SESSION_KEY)
    path = Path(settings.UPLOADS_DIR) / saved["token"] if saved else None
    if saved is None or path is None or not path.is_file():
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("data-import")
    try:
        result = services.do_import(
            request.user, saved["source"], path, saved["name"], quarantine=saved["quarantine"]
        )
    except ImportRefused as refused:
        return _page(request, refused=refused, file_name=saved["name"], source=saved["source"])
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    if isinstance(result, DataBatch):
        messages.success(
            request,
            _(
                "Imported %(name)s: %(new)d new, %(replaced)d replaced, %(unchanged)d unchanged, "
                "%(rejected)d rejected."
            )
            % {
                "name": saved["name"],
                "new": result.accepted,
                "replaced": result.replaced,
                "unchanged": result.unchanged,
                "rejected": result.rejected,
            },
        )
    else:
        messages.info(
            request,
            _("%(name)s holds nothing new; the data is unchanged.") % {"name": saved["name"]},
        )
    return redirect("data-import")
