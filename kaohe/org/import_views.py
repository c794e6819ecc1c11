"""Organisation import pages: upload → preview (nothing written) → apply (all or nothing)."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaohe.uploads import UploadRefused, remove_upload, save_upload, upload_path

from .actions import do_import_organisation
from .importing import plan_import
from .policy import Access, requires

SESSION_KEY = "org_import"


def _stored(request: HttpRequest) -> tuple[Path, str] | None:
    """The uploaded file this session is previewing, if it is still there."""
    saved = request.session.get(SESSION_KEY)
    path = upload_path(saved["token"]) if saved else None
    return (path, saved["name"]) if path is not None else None


@requires(Access.can_import_organisation)
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "org/import.html", {})
    uploaded = request.FILES.get("file")
    if uploaded is None:
        return render(request, "org/import.html", {"error": _("Choose a CSV or XLSX file first.")})
    try:
        saved = save_upload(uploaded)
    except UploadRefused as refused:
        return render(request, "org/import.html", {"error": str(refused)})
    request.session[SESSION_KEY] = {"token": saved.token, "name": saved.name}
    plan = plan_import(saved.path, saved.name, request.user)
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
    remove_upload(path.name)
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
