"""Each metric on small hand-made data, with the answers worked out by hand."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kaohe.metrics import CatalogOptions, ImportOptions, Lake, compute, import_file, parse_period

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)  # p3 (promised 09-10) is overdue by now

CALLS = """call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,wrap_seconds
a1,inbound,Q1,A1,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10,20
a2,inbound,Q1,A1,K2,2026-09-01 09:10:00,2026-09-01 09:10:30,2026-09-01 09:13:30,0
a3,inbound,Q1,,K3,2026-09-01 09:20:00,,2026-09-01 09:20:04,
a4,inbound,Q1,,K4,2026-09-01 09:30:00,,2026-09-01 09:31:00,
a5,inbound,Q2,A2,K1,2026-09-05 09:00:00,2026-09-05 09:00:05,2026-09-05 09:02:05,10
a6,outbound,Q1,A1,K9,2026-09-02 09:00:00,2026-09-02 09:00:01,2026-09-02 09:30:00,0
a7,inbound,Q2,A2,K5,2026-09-30 23:00:00,2026-09-30 23:00:05,2026-09-30 23:10:05,0
a8,inbound,Q2,A2,K5,2026-10-02 10:00:00,2026-10-02 10:00:05,2026-10-02 10:01:05,0
a9,inbound,Q2,A2,K6,2026-10-01 00:00:00,2026-10-01 00:00:05,2026-10-01 00:01:05,0
"""
# In 2026-09 (Shanghai), inbound: a1–a5, a7 (a8 and a9 fall in October; a6 is outbound).
#   a3 ended 4 s after it was offered, unanswered: a short abandon, out of every base.
#   Q1: a1, a2 answered, a4 abandoned → base 3; answer 2/3; abandon 1/3;
#       within 20 s: a1 (10 s) but not a2 (30 s) → 1/3; ASA (10 + 30)/2 = 20 s.
#   Q2: a5, a7 answered → answer 2/2; ASA (5 + 5)/2 = 5 s.
#   org: answered 4 of base 5 → 80 %; abandon 20 %; within 20 s: a1, a5, a7 → 60 %.
#   A1: handled 2; talk (300 + 180)/2 = 240 s; AHT (300 + 20 + 180 + 0)/2 = 250 s.
#   A2: handled 2 (a5, a7); talk (120 + 600)/2 = 360 s; AHT (130 + 600)/2 = 365 s.
# FCR (answered inbound with a customer, in 2026-09): a1, a2, a5, a7.
#   a1 (K1) ended 09-01 09:05; K1 called again (a5) on 09-05, within 7 days: not first contact.
#   a7 (K5) ended 09-30 23:10; K5 called again on 10-02 (after the period, within 7 days):
#   the look-ahead counts it, so a7 is not first contact either.
#   A1: a1 no, a2 yes → 50 %; A2: a5 yes, a7 no → 50 %; org 2/4 = 50 %.

TICKETS = """ticket_id,kind,customer_id,assignee_id,created_at,first_response_at,resolved_at
t1,complaint,K1,A1,2026-09-30 10:00:00,2026-09-30 11:00:00,2026-10-10 15:00:00
t2,complaint,K2,A1,2026-09-30 10:00:00,2026-09-30 12:30:00,2026-10-11 09:00:00
t3,complaint,K3,A2,2026-09-10 10:00:00,,
t4,request,K4,A2,2026-09-10 10:00:00,2026-09-10 10:05:00,2026-09-10 11:00:00
t5,incident,K5,T1,2026-09-08 08:00:00,2026-09-08 08:10:00,2026-09-08 11:00:00
t6,incident,K6,T1,2026-09-09 10:00:00,2026-09-09 10:10:00,2026-09-09 20:00:00
t7,incident,K7,T1,2026-09-10 10:00:00,,
"""
# Complaints created in 2026-09: t1, t2 (A1) and t3 (A2); t4 is a request.
#   Within 2 h: t1 (1 h) yes; t2 (2.5 h) no; t3 never answered → no. A1 1/2, A2 0/1, org 1/3.
#   Within 3 working days of 09-30 (Wed): after the National Day holiday, Thu 10-08, Fri 10-09
#   and Sat 10-10 (a make-up workday) are the 1st–3rd working days. t1, resolved Sat 10-10 →
#   yes; t2, resolved Sun 10-11 (a day off, so still 3 working days) → yes.
# All tickets created in 2026-09, resolved ÷ created: A1 2/2, A2 1/2 (t4 yes, t3 no),
#   T1 2/3 → 66.67 %, org 5/7 → 71.43 %. Repair time over resolved incidents: T1 (3 h + 10 h)/2
#   = 6.5 h; A1 has no incidents → null.
#   t3 unresolved → no. A1 2/2, A2 0/1, org 2/3. Resolution: A1 2/2, A2 0/1, org 2/3.

SURVEYS = """survey_id,kind,score,agent_id,responded_at
s1,csat,5,A1,2026-09-03 10:00:00
s2,csat,4,A1,2026-09-03 11:00:00
s3,csat,2,A1,2026-09-03 12:00:00
s4,nps,10,A1,2026-09-03 12:00:00
s5,nps,9,A2,2026-09-04 12:00:00
s6,nps,5,A2,2026-09-04 12:00:00
s7,nps,8,A2,2026-09-04 12:00:00
s8,ces,3,A2,2026-09-04 12:00:00
s9,ces,6,A2,2026-09-04 12:00:00
s10,csat,5,A2,2026-10-01 00:00:00
m1,meeting,5,P1,2026-09-11 10:00:00
m2,会议支持,3,P1,2026-09-12 10:00:00
m3,meeting,4,P1,2026-09-13 10:00:00
"""
# Meeting support (P1): 5, 3, 4 → 2 of 3 score 4 or 5 → 66.67 %.
# A1 csat: 5, 4, 2 → top-2-box 2/3 = 66.67 %, mean 11/3 = 3.67. A2 has no csat in 2026-09
#   (s10 is 10-01 00:00 Shanghai, just past the period): csat_rate is null, not 0.
# nps: A1 one promoter of 1 → +100; A2 promoter 1, detractor 1, passive 1 → 0; org 2 − 1 of 4
#   → +25. ces: A2 mean (3 + 6)/2 = 4.5.

ACCOUNTS = """account_id,name,key_account,owner_id
k1,甲公司,是,A1
k2,乙公司,1,A1
k3,丙公司,否,A1
k4,丁公司,true,A2
"""
VISITS = """visit_id,account_id,employee_id,visited_at
v1,k1,A1,2026-09-15 10:00:00
v2,k1,A1,2026-09-20 10:00:00
v3,k4,A2,2026-10-02 10:00:00
v4,k3,A1,2026-09-20 10:00:00
"""
# Key accounts: A1 owns k1, k2 (k3 is not key); k1 visited in 2026-09 → 1/2 = 50 %.
#   A2 owns k4, visited only in October → 0/1 = 0 %. org 1/3.

QA = """evaluation_id,call_id,agent_id,evaluated_at,score,passed
q1,a1,A1,2026-09-02 10:00:00,95,1
q2,a2,A1,2026-09-02 10:00:00,70,0
q3,a5,A2,2026-09-06 10:00:00,88,是
"""
# QA: A1 1/2 = 50 %; A2 1/1 = 100 %; org 2/3.


PURCHASES = """order_id,buyer_id,ordered_at,promised_at,delivered_at,budget_amount,actual_amount
p1,P1,2026-09-01 09:00:00,2026-09-05 18:00:00,2026-09-04 10:00:00,1000,900
p2,P1,2026-09-02 09:00:00,2026-09-06 18:00:00,2026-09-08 10:00:00,500,500
p3,P1,2026-09-03 09:00:00,2026-09-10 18:00:00,,200,
p4,P1,2026-10-01 09:00:00,2026-10-05 18:00:00,2026-10-02 10:00:00,100,50
"""
# P1 in 2026-09: p1 on time, p2 late, p3 overdue and undelivered → 1 of 3 on time = 33.33 %.
#   Cost saving over orders with both amounts: (100 + 0) ÷ (1000 + 500) = 6.67 %.

ASSET_CHECKS = """check_id,employee_id,checked_at,assets_checked,discrepancies
ck1,P1,2026-09-15 10:00:00,200,1
ck2,P1,2026-09-20 10:00:00,100,2
"""
# Fixed-asset errors: (1 + 2) ÷ (200 + 100) = 1 %.

KB_UPDATES = """update_id,article_id,author_id,updated_at
u1,kb1,T1,2026-09-02 10:00:00
u2,kb2,T1,2026-09-03 10:00:00
u3,kb1,T1,2026-09-20 10:00:00
u4,kb3,T1,2026-10-02 10:00:00
"""
# Knowledge-base updates by T1 in 2026-09: 3.


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("catalog")
    lake = Lake(root / "lake")
    options = ImportOptions(zone=SHANGHAI, now=NOW, report_dir=root / "reports")
    for source, text in [("calls", CALLS), ("tickets", TICKETS), ("surveys", SURVEYS),
                         ("accounts", ACCOUNTS), ("visits", VISITS), ("qa", QA),
                         ("purchases", PURCHASES), ("asset_checks", ASSET_CHECKS),
                         ("kb_updates", KB_UPDATES)]:  # fmt: skip
        path = root / f"{source}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(lake, source, path, path.name, options)
    return lake


@pytest.fixture(scope="module")
def september(lake):
    values = compute(lake, parse_period("2026-09"), CatalogOptions(zone=SHANGHAI, now=NOW))
    return {(v.subject_type, v.subject, v.metric): v for v in values}


def value(table, subject_type, subject, metric):
    found = table[(subject_type, subject, metric)].value
    return None if found is None else round(found, 2)


@pytest.mark.parametrize(
    ("subject_type", "subject", "metric", "expected"),
    [
        ("queue", "Q1", "answer_rate", 66.67),
        ("queue", "Q1", "abandon_rate", 33.33),
        ("queue", "Q1", "service_level_20s", 33.33),
        ("queue", "Q1", "asa_seconds", 20),
        ("queue", "Q2", "answer_rate", 100),
        ("queue", "Q2", "asa_seconds", 5),
        ("org", "org", "answer_rate", 80),
        ("org", "org", "abandon_rate", 20),
        ("org", "org", "service_level_20s", 60),
        ("employee", "A1", "calls_handled", 2),
        ("employee", "A1", "avg_talk_seconds", 240),
        ("employee", "A1", "aht_seconds", 250),
        ("employee", "A2", "calls_handled", 2),
        ("employee", "A2", "avg_talk_seconds", 360),
        ("employee", "A2", "aht_seconds", 365),
        ("employee", "A1", "fcr_rate", 50),
        ("employee", "A2", "fcr_rate", 50),
        ("org", "org", "fcr_rate", 50),
        ("employee", "A1", "complaint_response_2h_rate", 50),
        ("employee", "A2", "complaint_response_2h_rate", 0),
        ("org", "org", "complaint_response_2h_rate", 33.33),
        ("employee", "A1", "complaint_resolved_3wd_rate", 100),
        ("org", "org", "complaint_resolved_3wd_rate", 66.67),
        ("employee", "A2", "complaint_resolution_rate", 0),
        ("org", "org", "complaint_resolution_rate", 66.67),
        ("employee", "A1", "csat_rate", 66.67),
        ("employee", "A1", "csat_mean", 3.67),
        ("employee", "A1", "nps", 100),
        ("employee", "A2", "nps", 0),
        ("org", "org", "nps", 25),
        ("employee", "A2", "ces_mean", 4.5),
        ("employee", "A1", "key_account_revisit_rate", 50),
        ("employee", "A2", "key_account_revisit_rate", 0),
        ("org", "org", "key_account_revisit_rate", 33.33),
        ("employee", "A1", "qa_pass_rate", 50),
        ("employee", "A2", "qa_pass_rate", 100),
        ("org", "org", "qa_pass_rate", 66.67),
        ("employee", "A1", "ticket_resolution_rate", 100),
        ("employee", "A2", "ticket_resolution_rate", 50),
        ("employee", "T1", "ticket_resolution_rate", 66.67),
        ("org", "org", "ticket_resolution_rate", 71.43),
        ("employee", "T1", "repair_hours", 6.5),
        ("employee", "A1", "repair_hours", None),
        ("employee", "P1", "meeting_support_csat", 66.67),
        ("employee", "P1", "procurement_on_time_rate", 33.33),
        ("employee", "P1", "cost_saving_rate", 6.67),
        ("employee", "P1", "fixed_asset_error_rate", 1),
        ("employee", "T1", "kb_updates", 3),
    ],
)
def test_hand_computed_values(september, subject_type, subject, metric, expected):
    assert value(september, subject_type, subject, metric) == expected


def test_numerators_and_denominators_are_reported(september):
    answer = september[("queue", "Q1", "answer_rate")]
    assert (answer.numerator, answer.denominator) == (2, 3)


def test_an_empty_base_is_null_not_zero(september):
    csat = september[("employee", "A2", "csat_rate")]
    assert (csat.value, csat.numerator, csat.denominator) == (None, 0, 0)
    assert september[("employee", "A2", "csat_mean")].value is None


def test_queue_rates_are_not_given_to_employees(september):
    assert ("employee", "A1", "answer_rate") not in september
    assert ("queue", "Q1", "answer_rate") in september


def test_outbound_calls_never_count(september):
    # a6 (outbound, A1, 30 minutes) would change A1's handled count and talk time.
    assert value(september, "employee", "A1", "calls_handled") == 2


def test_the_period_boundary_is_local_midnight(lake):
    october = compute(lake, parse_period("2026-10"), CatalogOptions(zone=SHANGHAI, now=NOW))
    found = {(v.subject_type, v.subject, v.metric): v.value for v in october}
    # a9 was offered at 2026-10-01 00:00:00 Shanghai: October, not September.
    assert found[("employee", "A2", "calls_handled")] == 2  # a8 and a9
    assert found[("employee", "A2", "csat_rate")] == 100  # s10 at 10-01 00:00


def test_one_subject(lake):
    only = compute(
        lake, parse_period("2026-09"), CatalogOptions(zone=SHANGHAI, now=NOW), subject="A1"
    )
    assert {v.subject for v in only} == {"A1"}
    assert len(only) > 10


def test_an_empty_lake_has_no_metrics(tmp_path):
    assert (
        compute(
            Lake(tmp_path / "lake"), parse_period("2026-09"), CatalogOptions(zone=SHANGHAI, now=NOW)
        )
        == []
    )


# An agent's own queues. Two queues, two agents who each work both:
#   S: s1 X (5 s), s2 Y (5 s), s4 X (30 s) answered; s3 abandoned after a minute.
#      answered 3, base 4, abandoned 1, within 20 s 2 (s1, s2).
#   T: t1 X (10 s), t5 Y (10 s) answered; t2, t3 abandoned; t4 a short abandon (3 s, out).
#      answered 2, base 4, abandoned 2, within 20 s 2.
#   X answered 2 in S and 1 in T: answer (2·3/4 + 1·2/4) / 3 = 2/3 → 66.67 %;
#      abandon (2·1/4 + 1·2/4) / 3 = 1/3 → 33.33 %; within 20 s (2·2/4 + 1·2/4) / 3 → 50 %.
#   Y answered 1 in each: answer (3/4 + 2/4) / 2 = 62.5 %; abandon (1/4 + 2/4) / 2 = 37.5 %;
#      within 20 s (2/4 + 2/4) / 2 = 50 %.
#   X's outbound call in T and X's call with no queue count for neither.
OWN_QUEUES = """call_id,direction,queue,agent_id,offered_at,answered_at,ended_at
s1,inbound,S,X,2026-09-01 09:00:00,2026-09-01 09:00:05,2026-09-01 09:03:00
s2,inbound,S,Y,2026-09-01 09:10:00,2026-09-01 09:10:05,2026-09-01 09:13:00
s3,inbound,S,,2026-09-01 09:20:00,,2026-09-01 09:21:00
s4,inbound,S,X,2026-09-01 09:30:00,2026-09-01 09:30:30,2026-09-01 09:33:00
t1,inbound,T,X,2026-09-02 09:00:00,2026-09-02 09:00:10,2026-09-02 09:03:00
t2,inbound,T,,2026-09-02 09:10:00,,2026-09-02 09:11:00
t3,inbound,T,,2026-09-02 09:20:00,,2026-09-02 09:21:00
t4,inbound,T,,2026-09-02 09:30:00,,2026-09-02 09:30:03
t5,inbound,T,Y,2026-09-02 09:40:00,2026-09-02 09:40:10,2026-09-02 09:43:00
o1,outbound,T,X,2026-09-02 10:00:00,2026-09-02 10:00:10,2026-09-02 10:03:00
n1,inbound,,X,2026-09-02 11:00:00,2026-09-02 11:00:40,2026-09-02 11:03:00
"""


@pytest.fixture(scope="module")
def own_queues(tmp_path_factory):
    root = tmp_path_factory.mktemp("own-queues")
    path = root / "calls.csv"
    path.write_text(OWN_QUEUES, encoding="utf-8")
    lake = Lake(root / "lake")
    import_file(lake, "calls", path, path.name, ImportOptions(zone=SHANGHAI, now=NOW))
    values = compute(lake, parse_period("2026-09"), CatalogOptions(zone=SHANGHAI, now=NOW))
    return {(v.subject_type, v.subject, v.metric): v for v in values}


@pytest.mark.parametrize(
    ("agent", "metric", "expected"),
    [
        ("X", "answer_rate", 66.67),
        ("X", "abandon_rate", 33.33),
        ("X", "service_level_20s", 50),
        ("Y", "answer_rate", 62.5),
        ("Y", "abandon_rate", 37.5),
        ("Y", "service_level_20s", 50),
    ],
)
def test_an_agents_own_queues_weighted_by_the_agents_answers(own_queues, agent, metric, expected):
    assert value(own_queues, "agent_queues", agent, metric) == expected


def test_own_queue_rates_report_the_weighted_numerator_and_the_agents_answers(own_queues):
    found = own_queues[("agent_queues", "X", "answer_rate")]
    assert (round(found.numerator, 6), found.denominator) == (2.0, 3)
    # The queues' own rates are unchanged: S 3/4, T 2/4.
    assert value(own_queues, "queue", "S", "answer_rate") == 75
    assert value(own_queues, "queue", "T", "answer_rate") == 50
    assert ("agent_queues", "X", "calls_handled") not in own_queues
