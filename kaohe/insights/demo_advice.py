"""The demo's weight advice: HR looks for signals once the demo's data and cycles are in.
The demo's last quarter visited fewer key accounts than the year before
(``kaohe.data.demo_data.DEMO_KEY_VISITS``), so the organisation's key-account revisit rate
falls and the director's scheme gets a proposal to weigh key-account relationships more.

Run after the cycles (``launch_earlier_cycles`` and ``launch_history_cycle``), so that the
proposal's what-if has a finished cycle to replay: ``demo_advice()``."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model

from .actions_advice import LookReport, do_look_for_signals
from .models import AdviceRun


def demo_advice(now: datetime | None = None) -> LookReport | None:
    """What HR's look found; None when the demo has looked already."""
    if AdviceRun.objects.exists():
        return None
    hr = get_user_model().objects.get(username="hr")
    return do_look_for_signals(hr, now=now)
