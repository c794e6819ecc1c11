"""The catalog metrics a key result may follow: every metric the engine computes.

Rates and shares are percentages (0–100), as the engine stores them.
"""

from __future__ import annotations

from kaohe.metrics import metric_names

CATALOG_METRICS = metric_names()
