"""The demo's weight advice: its last quarter visits fewer key accounts, and the look
``demo_advice`` makes finds it and proposes more weight on the director's key-account
relationships. The demo's own generator and constants, at a small call volume."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from kaohe.data.demo_data import (
    DEMO_KEY_VISITS,
    DEMO_PERIOD,
    EARLIER_PERIODS,
    HISTORY_PERIOD,
    load_demo_data,
)
from kaohe.demo import load_demo
from kaohe.insights.demo_advice import demo_advice
from kaohe.insights.models import AdviceSignal


def test_the_demo_proposes_more_weight_on_key_accounts(db, settings, tmp_path):
    settings.HOME = tmp_path
    load_demo()
    hr = get_user_model().objects.get(username="hr")
    for quarter in (*EARLIER_PERIODS, HISTORY_PERIOD, DEMO_PERIOD):
        visits = DEMO_KEY_VISITS if quarter == DEMO_PERIOD else 0.97
        load_demo_data(hr, quarter, 0.02, say=lambda _line: None, key_visits=visits)
    report = demo_advice(now=datetime(2026, 12, 4, tzinfo=ZoneInfo("Asia/Shanghai")))
    signal = AdviceSignal.objects.get(run=report.run, subject="org", kind="key_accounts")
    readings = signal.figures[0]["readings"]
    assert [r["period"] for r in readings] == [*EARLIER_PERIODS, HISTORY_PERIOD, DEMO_PERIOD]
    assert readings[-1]["value"] < 70 < min(r["value"] for r in readings[:-1])
    director = next(p for p in report.made if p.code == "cs-director")
    raised = [c["indicator"] for c in director.changes if c["raised"]]
    assert raised == ["key_account_revisit"]
    assert demo_advice() is None  # once only
