"""The catalog metrics a key result may follow, as docs/metrics.md lists them.

The metric engine names its metrics only inside its queries, so the goals app keeps the
list it offers here; a test compares it with the engine's, so that a metric added to the
catalog is not silently missing from the key-result form.
"""

from __future__ import annotations

# Rates and shares are percentages (0–100), as the engine stores them.
CATALOG_METRICS = (
    "abandon_rate",
    "aht_seconds",
    "answer_rate",
    "asa_seconds",
    "avg_talk_seconds",
    "calls_handled",
    "ces_mean",
    "complaint_resolution_rate",
    "complaint_resolved_3wd_rate",
    "complaint_response_2h_rate",
    "cost_saving_rate",
    "csat_mean",
    "csat_rate",
    "fcr_rate",
    "fixed_asset_error_rate",
    "kb_updates",
    "key_account_revisit_rate",
    "meeting_support_csat",
    "nps",
    "procurement_on_time_rate",
    "qa_pass_rate",
    "repair_hours",
    "service_level_20s",
    "ticket_resolution_rate",
)
