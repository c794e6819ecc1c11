"""The sentiment metrics and the per-call figures, on a few calls worked out by hand.

The scores come from the keyword scorer of ``keywords.py``, which stands in for kaohe.ml's
model: the metric layer takes any scorer, so the figures here depend on nothing but the
definitions (kaohe/metrics/_sentiment.py, docs/metrics.md).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kaohe.metrics import (
    CallSentiment,
    CatalogOptions,
    ImportOptions,
    Lake,
    MetricsError,
    call_sentiment,
    compute,
    import_file,
    metric_names,
    parse_period,
)

from .keywords import keyword_scorer

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)
SEPTEMBER = parse_period("2026-09")
SENTIMENT = ("calls_ending_negative_rate", "calls_recovered_rate", "comment_sentiment_mean")

CALLS = """call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at
c1,inbound,Q1,A1,K1,2026-09-01 09:00:00,2026-09-01 09:00:05,2026-09-01 09:10:00
c2,inbound,Q1,A1,K2,2026-09-02 09:00:00,2026-09-02 09:00:05,2026-09-02 09:10:00
c3,inbound,Q2,A2,K3,2026-09-03 09:00:00,2026-09-03 09:00:05,2026-09-03 09:10:00
c4,inbound,Q2,,K4,2026-09-04 09:00:00,2026-09-04 09:00:05,2026-09-04 09:10:00
c5,inbound,Q1,A1,K5,2026-10-01 09:00:00,2026-10-01 09:00:05,2026-10-01 09:10:00
c6,outbound,Q1,A2,K6,2026-09-06 09:00:00,2026-09-06 09:00:05,2026-09-06 09:10:00
c7,inbound,Q1,A1,K7,2026-09-07 09:00:00,2026-09-07 09:00:05,2026-09-07 09:10:00
c8,inbound,Q2,A2,K8,2026-09-08 09:00:00,2026-09-08 09:00:05,2026-09-08 09:10:00
"""
# Keyword scores: 气死 0.05, 太慢 0.2, 不行 0.3, 一般 0.45, 还行 0.6, 好的 0.7, 谢谢 0.9,
# 满意 0.95, none 0.5. Threshold 0.5. Customer turns only, in turn order:
#   c1 (A1, Q1): 0.05, 0.2, 0.6, 0.9 — four turns, so start = (0.05 + 0.2)/2 = 0.125,
#       end = (0.6 + 0.9)/2 = 0.75: started negative, recovered. Lowest 0.05. Its agent
#       turns (0.5, 0.7, 0.9, 0.7) mean 0.7. Turns count in turn order, not the file's
#       (turn 2 is the file's last line of c1).
#   c2 (A1, Q1): 0.7, 0.45, 0.3 — three turns: start = 0.7, end = 0.3: ended negative.
#   c3 (A2, Q2): 0.3 — one turn: start = end = 0.3, ended negative; no case of recovery.
#       Its agent turns (0.5, 0.7, 0.9) mean 0.7.
#   c4 (no agent on the call record; the transcript says A2; Q2): 0.2, 0.95 — recovered.
#   c5: October. c6 (A2, Q1): agent turns only — no customer figure, out of every base.
#   c7: no transcript.
#   c8 (A2, Q2): 0.05, 0.45, 0.3, 0.2, 0.6 — start (0.05 + 0.45)/2 = 0.25, end (0.2 + 0.6)/2
#       = 0.4: started and ended negative, not recovered.
# Ending negative (base: calls with a scored customer turn):
#   A1 c2 of c1, c2 → 1/2;  A2 c3, c8 of c3, c4, c8 → 2/3;  Q1 1/2;  Q2 2/3;  org 3/5.
# Recovered (base: started negative, two customer turns or more):
#   A1 c1 of c1 → 1/1;  A2 c4 of c4, c8 → 1/2;  Q1 1/1;  Q2 1/2;  org c1, c4 of c1, c4, c8.
TRANSCRIPTS = """call_id,turn,speaker,text,agent_id
c1,1,agent,您好,A1
c1,3,agent,好的,A1
c1,4,customer,太慢了,
c1,5,agent,谢谢您的耐心,A1
c1,6,customer,还行,
c1,8,customer,谢谢,
c1,7,agent,好的,A1
c1,2,customer,我气死了,
c2,1,customer,好的,
c2,2,customer,一般般,
c2,3,agent,稍等,A1
c2,4,customer,不行,
c3,1,agent,您好,A2
c3,2,customer,不行,
c3,3,agent,好的,A2
c3,4,agent,谢谢,A2
c4,1,agent,您好,A2
c4,2,customer,太慢,
c4,3,customer,满意,
c5,1,customer,气死,
c6,1,agent,您好,A2
c8,1,customer,气死,
c8,2,customer,一般,
c8,3,customer,不行,
c8,4,customer,太慢,
c8,5,customer,还行,
"""

SURVEYS = """survey_id,kind,score,agent_id,responded_at,call_id,ticket_id,comment
s1,csat,5,A1,2026-09-02 10:00:00,c1,,谢谢你
s2,csat,2,A1,2026-09-03 10:00:00,c2,,太慢了
s3,csat,4,A2,2026-09-04 10:00:00,c3,,
s4,csat,5,A2,2026-09-05 10:00:00,,T1,非常满意
s5,csat,1,A1,2026-10-02 10:00:00,c5,,气死
"""
# Comments scored in September: s1 0.9 and s2 0.2 (A1, both through calls of Q1), s4 0.95
# (A2, a ticket's survey: no queue). s3 has no comment; s5 is October's.
#   A1 (0.9 + 0.2)/2 = 0.55;  A2 0.95;  org (0.9 + 0.2 + 0.95)/3 = 0.6833;  Q1 0.55;
#   Q2 (through c3) has a survey but no comment: no value.


def lake_with(tmp_path, scorer=keyword_scorer, transcripts=TRANSCRIPTS):
    lake = Lake(tmp_path / "lake")
    extra = {} if scorer is None else {"sentiment": scorer, "sentiment_version": "keywords"}
    options = ImportOptions(zone=ZONE, now=NOW, **extra)
    for source, text in (("calls", CALLS), ("transcripts", transcripts), ("surveys", SURVEYS)):
        path = tmp_path / f"{source}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(lake, source, path, path.name, options)
    return lake


def sentiment_values(lake, threshold=0.5):
    options = CatalogOptions(zone=ZONE, now=NOW, sentiment_threshold=threshold)
    return {
        (v.subject_type, v.subject, v.metric): v
        for v in compute(lake, SEPTEMBER, options)
        if v.metric in SENTIMENT
    }


def test_the_catalog_names_the_sentiment_metrics():
    assert set(SENTIMENT) <= set(metric_names())


def test_calls_ending_negative_and_recovered_by_agent_queue_and_org(tmp_path):
    values = sentiment_values(lake_with(tmp_path))
    short = {"calls_ending_negative_rate": "ending", "calls_recovered_rate": "recovered"}
    found = {
        (kind, subject, short[metric]): (v.numerator, v.denominator)
        for (kind, subject, metric), v in values.items()
        if metric in short
    }
    assert found == {
        ("employee", "A1", "ending"): (1, 2), ("employee", "A1", "recovered"): (1, 1),
        ("employee", "A2", "ending"): (2, 3), ("employee", "A2", "recovered"): (1, 2),
        ("queue", "Q1", "ending"): (1, 2), ("queue", "Q1", "recovered"): (1, 1),
        ("queue", "Q2", "ending"): (2, 3), ("queue", "Q2", "recovered"): (1, 2),
        ("org", "org", "ending"): (3, 5), ("org", "org", "recovered"): (2, 3),
    }  # fmt: skip
    assert values[("org", "org", "calls_ending_negative_rate")].value == pytest.approx(60)
    assert values[("employee", "A2", "calls_recovered_rate")].value == pytest.approx(50)


def test_mean_comment_sentiment_by_agent_queue_and_org(tmp_path):
    values = sentiment_values(lake_with(tmp_path))

    def mean(kind, subject):
        return values[(kind, subject, "comment_sentiment_mean")].value

    assert mean("employee", "A1") == pytest.approx(0.55)
    assert mean("employee", "A2") == pytest.approx(0.95)
    assert mean("queue", "Q1") == pytest.approx(0.55)
    assert mean("org", "org") == pytest.approx(2.05 / 3)
    assert mean("queue", "Q2") is None  # a survey, but no comment: no value, not 0
    assert values[("queue", "Q2", "comment_sentiment_mean")].denominator == 0


def test_without_a_scorer_the_sentiment_metrics_have_no_value(tmp_path):
    values = sentiment_values(lake_with(tmp_path, scorer=None))
    assert values  # computed, for every subject the calls and surveys name …
    assert {v.value for v in values.values()} == {None}  # … and never 0
    assert {v.denominator for v in values.values()} == {0}


def test_a_higher_threshold_counts_more_calls_negative(tmp_path):
    """At 0.8: c1 ends at 0.75 (negative), c2 starts at 0.7 (negative), c4 still recovers to
    0.95. Ending negative c1, c2, c3, c8 of 5; recovered c4 of c1, c2, c4, c8."""
    values = sentiment_values(lake_with(tmp_path), threshold=0.8)
    ending = values[("org", "org", "calls_ending_negative_rate")]
    recovered = values[("org", "org", "calls_recovered_rate")]
    assert (ending.numerator, ending.denominator) == (4, 5)
    assert (recovered.numerator, recovered.denominator, recovered.value) == (1, 4, 25)
    # The comments' mean does not depend on the threshold.
    assert values[("org", "org", "comment_sentiment_mean")].value == pytest.approx(2.05 / 3)


def test_a_low_threshold_gives_a_true_zero_and_an_empty_base(tmp_path):
    """At 0.1 nothing ends negative — 0 of 5, a real 0 % — and nothing starts negative, so
    recovery has no base and no value."""
    values = sentiment_values(lake_with(tmp_path), threshold=0.1)
    assert values[("org", "org", "calls_ending_negative_rate")].value == 0
    assert values[("org", "org", "calls_recovered_rate")].value is None


@pytest.mark.parametrize("threshold", [0, 1, 1.5, -0.1])
def test_the_threshold_lies_strictly_between_0_and_1(threshold):
    with pytest.raises(MetricsError, match="between 0 and 1"):
        CatalogOptions(zone=ZONE, now=NOW, sentiment_threshold=threshold)


def test_no_sentiment_metrics_without_call_records(tmp_path):
    lake = Lake(tmp_path / "lake")
    path = tmp_path / "t.csv"
    path.write_text(TRANSCRIPTS, encoding="utf-8")
    import_file(lake, "transcripts", path, "t.csv", ImportOptions(
        zone=ZONE, now=NOW, sentiment=keyword_scorer, sentiment_version="k"))  # fmt: skip
    assert compute(lake, SEPTEMBER, CatalogOptions(zone=ZONE, now=NOW)) == []
    assert call_sentiment(lake, SEPTEMBER, CatalogOptions(zone=ZONE, now=NOW)) == []


def at(day):
    return datetime(2026, 9, day, 9, 0, tzinfo=ZONE)


def test_the_per_call_figures(tmp_path):
    found = call_sentiment(lake_with(tmp_path), SEPTEMBER, CatalogOptions(zone=ZONE, now=NOW))
    assert [c.call_id for c in found] == ["c1", "c2", "c3", "c4", "c6", "c8"]
    by_id = {c.call_id: c for c in found}
    assert by_id["c1"] == CallSentiment(
        call_id="c1", agent_id="A1", queue="Q1", offered_at=at(1), customer_turns=4,
        customer_start=pytest.approx(0.125), customer_end=pytest.approx(0.75),
        customer_lowest=0.05, agent_mean=pytest.approx(0.7),
        started_negative=True, ended_negative=False, recovered=True,
    )  # fmt: skip
    c2 = by_id["c2"]
    assert (c2.customer_start, c2.customer_end, c2.customer_lowest) == (0.7, 0.3, 0.3)
    assert (c2.started_negative, c2.ended_negative, c2.recovered) == (False, True, None)
    c3 = by_id["c3"]
    assert (c3.customer_turns, c3.customer_start, c3.customer_end) == (1, 0.3, 0.3)
    assert (c3.started_negative, c3.ended_negative, c3.recovered) == (True, True, None)
    assert c3.agent_mean == pytest.approx(0.7)
    c4 = by_id["c4"]
    assert (c4.agent_id, c4.queue, c4.recovered, c4.agent_mean) == ("A2", "Q2", True, 0.5)
    c6 = by_id["c6"]
    assert (c6.customer_turns, c6.customer_end, c6.ended_negative, c6.agent_mean) == (
        0, None, None, 0.5)  # fmt: skip
    c8 = by_id["c8"]
    assert (c8.customer_start, c8.customer_end) == (pytest.approx(0.25), pytest.approx(0.4))
    assert (c8.customer_lowest, c8.recovered, c8.agent_mean) == (0.05, False, None)
    assert c8.offered_at == at(8)


def test_the_per_call_figures_of_one_agent_or_one_queue(tmp_path):
    lake = lake_with(tmp_path)
    options = CatalogOptions(zone=ZONE, now=NOW)
    mine = call_sentiment(lake, SEPTEMBER, options, agent="A2")
    assert [c.call_id for c in mine] == ["c3", "c4", "c6", "c8"]  # c4 by its transcript
    assert [c.call_id for c in call_sentiment(lake, SEPTEMBER, options, queue="Q1")] == [
        "c1", "c2", "c6"]  # fmt: skip
    both = call_sentiment(lake, SEPTEMBER, options, agent="A2", queue="Q1")
    assert [c.call_id for c in both] == ["c6"]


def test_the_call_records_agent_wins_over_the_transcripts(tmp_path):
    """c3 is A2's by its call record; a transcript naming A9 changes nothing, while c4,
    whose call record names nobody, is the transcript's agent's."""
    moved = TRANSCRIPTS.replace("c3,1,agent,您好,A2", "c3,1,agent,您好,A9").replace(
        "c4,1,agent,您好,A2", "c4,1,agent,您好,A9"
    )
    found = call_sentiment(lake_with(tmp_path, transcripts=moved), SEPTEMBER,
                           CatalogOptions(zone=ZONE, now=NOW))  # fmt: skip
    agents = {c.call_id: c.agent_id for c in found}
    assert (agents["c3"], agents["c4"]) == ("A2", "A9")


def test_a_threshold_change_moves_the_per_call_flags(tmp_path):
    lake = lake_with(tmp_path)
    options = CatalogOptions(zone=ZONE, now=NOW, sentiment_threshold=0.8)
    c1 = next(c for c in call_sentiment(lake, SEPTEMBER, options) if c.call_id == "c1")
    assert (c1.started_negative, c1.ended_negative, c1.recovered) == (True, True, False)


def test_without_a_scorer_every_call_is_listed_without_figures(tmp_path):
    found = call_sentiment(lake_with(tmp_path, scorer=None), SEPTEMBER,
                           CatalogOptions(zone=ZONE, now=NOW))  # fmt: skip
    assert len(found) == 6
    assert {(c.customer_turns, c.customer_end, c.agent_mean, c.ended_negative) for c in found} == {
        (0, None, None, None)
    }
