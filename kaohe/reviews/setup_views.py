"""HR's pages for the 360 setup of each scheme version: the list, and one setup's groups,
load limit and questionnaire (refused with the reason once answers have arrived)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaohe.core import REVIEW_GROUPS
from kaohe.org.policy import access_for, requires

from . import policy
from .actions import ReviewRefused, do_create_setup, do_save_setup
from .forms import setup_from
from .models import LEVELS, ReviewSetup


@requires(policy.can_configure_reviews)
def setups(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            made = do_create_setup(request.user, int(version) if version.isdigit() else 0)
        except ReviewRefused as refused:
            messages.error(request, str(refused))
            return redirect("reviews-setups")
        except PermissionDenied:
            raise Http404 from None
        messages.success(request, _("The 360 setup is made from the library: check it."))
        return redirect("reviews-setup", pk=made.pk)
    versions = policy.versions_to_configure(access)
    made = {s.version_id: s for s in ReviewSetup.objects.filter(version__in=versions)}
    rows = [(v, made.get(v.pk)) for v in versions]
    return render(request, "reviews/setups.html", {"rows": rows})


@requires(policy.can_configure_reviews)
def setup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    setup = ReviewSetup.objects.select_related("version").filter(pk=pk).first()
    if setup is None or not policy.may_edit_setup(access_for(request), setup.version):
        raise Http404
    questions = list(setup.questions.all())
    if request.method == "POST":
        try:
            given = setup_from(request.POST, list(REVIEW_GROUPS), len(questions))
            do_save_setup(request.user, setup.pk, given)
        except ReviewRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, _("The 360 setup is saved."))
        return redirect("reviews-setup", pk=setup.pk)
    have = {g.group: g for g in setup.groups.all()}
    context = {
        "setup": setup,
        "locked": setup.locked(),
        "groups": [(key, label, have.get(key)) for key, label in REVIEW_GROUPS.items()],
        "questions": questions,
        "new_index": len(questions),
        "levels": LEVELS,
        "inputs": sorted(setup.version.scheme().inputs),
    }
    return render(request, "reviews/setup.html", context)
