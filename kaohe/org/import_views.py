"""Organisation import pages: upload → preview (nothing written) → apply (all or nothing)."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.tabular import SUFFIXES

from .actions import do_import_organisation
from .importing import plan_import
from .policy import Access, requires

SESSION_KEY = "org_import"


def _stored(request: HttpRequest) -> tuple[Path, str] | None:
    """The uploaded file this session is previewing, if it is still there."""
    saved = request.session.get(SESSION_KEY)
    if not saved:
        return None
    path = Path(settings.UPLOADS_DIR) / saved["token"]
    return (path, saved["name"]) if path.is_file() else None


@requires(Access.can_import_organisation)
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "org/import.html", {})
    upload = request.FILES.get("file")
    if upload is None:
        return render(request, "org/import.html", {"error": _("Choose a CSV or XLSX file first.")})
    name = Path(upload.name or "upload").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        error = _("%(name)s is not a CSV or XLSX file.") % {"name": name}
        return render(request, "org/import.html", {"error": error})
    uploads = Path(settings.UPLOADS_DIR)
    uploads.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(16) + suffix
    with (uploads / token).open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    request.session[SESSION_KEY] = {"token": token, "name": name}
    plan = plan_import(uploads / token, name, request.user)
    return render(request, "org/import.html", {"plan": plan})


@require_POST
@requires(Access.can_import_organisation)
def apply(request: HttpRequest) -> HttpResponse:
    stored = _stored(request)
    if stored is None:
        messages.error(request, _("The uploaded file has expired. Upload it again."))
        return redirect("org-import")
    path, name = stored
    # Checked again: the organisation may have changed since the preview.
    plan = do_import_organisation(request.user, path, name)
    if not plan.ok:
        return render(request, "org/import.html", {"plan": plan})
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    if plan.has_changes:
        messages.success(
            request,
            _("Imported %(name)s: %(created)d added, %(updated)d updated, %(unchanged)d unchanged.")
            % {
                "name": name,
                "created": len(plan.creates),
                "updated": len(plan.updates),
                "unchanged": plan.unchanged,
            },
        )
    else:
        messages.info(
            request, _("%(name)s matches kaohe already; nothing changed.") % {"name": name}
        )
    return redirect("people")
