"""The Insights page: the sections this reader may open, each with what it answers and its
newest figure. Each figure comes from the section's own policy-filtered queries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kaohe.org.policy import Access, access_for, requires

from . import policy
from .models import AttritionModel, Proposal
from .sentiment_calls import ended_negative_count


def _whatif(access: Access) -> dict[str, Any]:
    return {"saved": policy.saved_whatifs_in_view(access).count()}


def _advice(access: Access) -> dict[str, Any]:
    pending = Proposal.objects.filter(status=Proposal.Status.PENDING).select_related("base_version")
    return {"pending": sum(1 for p in pending if policy.can_read_proposal(access, p))}


def _attrition(access: Access) -> dict[str, Any]:
    return {"model": AttritionModel.objects.shown()}


def _sentiment(access: Access) -> dict[str, Any]:
    found = ended_negative_count(access)
    return {"period": found[0], "ended_negative": found[1]} if found else {"period": ""}


_FIGURES = {
    "whatif": _whatif,
    "advice": _advice,
    "attrition": _attrition,
    "sentiment": _sentiment,
}


@requires(policy.can_open_insights)
def insights_home(request: HttpRequest) -> HttpResponse:
    access = access_for(request)
    sections = {name: _FIGURES[name](access) for name in policy.insight_sections(access)}
    return render(request, "insights/home.html", {"sections": sections})
