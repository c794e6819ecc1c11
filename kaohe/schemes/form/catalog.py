"""The metric catalog as the scheme form offers it: each metric's name with its definition
(from docs/metrics.md), and the other sources an input may be fed from."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaohe.core import INCIDENT_KINDS, REVIEW_GROUPS
from kaohe.i18n import current_lang
from kaohe.metrics import metric_names

DEFINITIONS: dict[str, Promise] = {
    "answer_rate": _(
        "Answered inbound calls ÷ calls offered (short abandons left out); per queue, for "
        "the organisation, or over an agent's own queues."
    ),
    "abandon_rate": _(
        "Inbound calls abandoned (not answered, not a short abandon) ÷ calls offered."
    ),
    "service_level_20s": _("Inbound calls answered within 20 seconds ÷ calls offered."),
    "asa_seconds": _(
        "Average speed of answer: mean wait before an inbound call is answered, in seconds."
    ),
    "calls_handled": _("Number of inbound calls answered."),
    "avg_talk_seconds": _("Mean talk time of answered inbound calls, in seconds."),
    "aht_seconds": _("Average handle time: talk time plus after-call work, in seconds."),
    "fcr_rate": _(
        "First-contact resolution: answered calls after which the same customer did not "
        "call again within 7 days ÷ answered calls with a customer."
    ),
    "complaint_response_2h_rate": _("Complaints first answered within 2 hours ÷ complaints."),
    "complaint_resolved_3wd_rate": _("Complaints resolved within 3 working days ÷ complaints."),
    "complaint_resolution_rate": _("Complaints resolved ÷ complaints."),
    "complaint_conversion_rate": _(
        "Answered calls with a customer that turned into a complaint ticket within 72 "
        "hours ÷ answered calls with a customer."
    ),
    "complaints_converted": _("Number of answered calls that turned into a complaint ticket."),
    "csat_rate": _("Satisfaction surveys scored 4 or 5 out of 5 ÷ satisfaction surveys."),
    "csat_mean": _("Mean satisfaction score, 1–5."),
    "nps": _("Net promoter score: % promoters (9–10) − % detractors (0–6)."),
    "ces_mean": _("Mean customer effort score, 1–7."),
    "key_account_revisit_rate": _(
        "Key accounts owned with at least one visit in the period ÷ key accounts owned."
    ),
    "qa_pass_rate": _("Sampled call recordings that passed quality review ÷ recordings reviewed."),
    "procurement_on_time_rate": _("Purchase orders delivered by the promised time ÷ orders due."),
    "cost_saving_rate": _("Budget minus actual spend ÷ budget, over orders with both amounts."),
    "fixed_asset_error_rate": _("Discrepancies found ÷ assets checked in stock-takes."),
    "meeting_support_csat": _("Meeting-support surveys scored 4 or 5 ÷ meeting-support surveys."),
    "ticket_resolution_rate": _("Tickets resolved ÷ tickets created (every kind)."),
    "repair_hours": _("Mean hours from creation to resolution of incident tickets."),
    "kb_updates": _("Knowledge-base articles added or updated."),
    "calls_ending_negative_rate": _(
        "Transcribed calls whose customer's last turns score negative ÷ transcribed calls "
        "with a scored customer turn (only the customer's turns count)."
    ),
    "calls_recovered_rate": _(
        "Transcribed calls that started negative and ended not negative ÷ calls that "
        "started negative (with two customer turns or more)."
    ),
    "comment_sentiment_mean": _(
        "Mean sentiment of survey comments, from 0 (negative) to 1 (positive), over "
        "surveys with a comment."
    ),
}

# Metrics that belong to queues: a person reads them over their own queues or the
# organisation's (docs/metrics.md, "An agent's own queues").
QUEUE_METRICS = frozenset({"answer_rate", "abandon_rate", "service_level_20s"})


def metric_choices() -> list[tuple[str, str]]:
    """Every way a scheme may name a catalog metric: the person's own value, their
    queues' (for queue metrics) and the organisation's."""
    choices = []
    for name in metric_names():
        if name not in QUEUE_METRICS:
            choices.append((name, name))
        else:
            choices.append((f"queues:{name}", str(_("%(name)s (own queues)") % {"name": name})))
        choices.append((f"org:{name}", str(_("%(name)s (organisation)") % {"name": name})))
    return choices


def definition(reference: str) -> str:
    """The definition of ``queues:answer_rate``, ``org:nps`` or ``fcr_rate``."""
    name = reference.rpartition(":")[2]
    found = DEFINITIONS.get(name)
    return "" if found is None else str(found)


def feed_choices() -> list[tuple[str, str]]:
    """The other kaohe sources: 360 groups, each kind of critical incident, OKR goals."""
    lang = current_lang()
    choices = [("reviews", str(_("360 review, every weighted group")))]
    choices += [
        (f"reviews:{key}", str(_("360 review: %(group)s") % {"group": group(lang)}))
        for key, group in REVIEW_GROUPS.items()
    ]
    choices += [
        (f"incidents:{key}", str(_("Incidents: %(kind)s") % {"kind": kind(lang)}))
        for key, kind in INCIDENT_KINDS.items()
    ]
    choices.append(("goals", str(_("OKR goal completion"))))
    return choices
