"""Complaint conversion: complaint tickets traced back to the calls they came from."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kaohe.metrics import CatalogOptions, ImportOptions, Lake, compute, import_file, parse_period

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI)

CALLS = """call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at
b1,inbound,Q1,A1,K1,2026-09-02 09:00:00,2026-09-02 09:00:10,2026-09-02 09:05:00
b2,inbound,Q1,A2,K1,2026-09-03 10:00:00,2026-09-03 10:00:10,2026-09-03 10:10:00
b3,inbound,Q1,A1,K2,2026-09-04 09:00:00,2026-09-04 09:00:10,2026-09-04 09:05:00
b4,inbound,Q1,A1,K3,2026-09-05 09:00:00,2026-09-05 09:00:10,2026-09-05 09:05:00
b5,inbound,Q1,,K4,2026-09-05 09:20:00,,2026-09-05 09:21:00
b6,inbound,Q1,A1,K5,2026-09-10 09:00:00,2026-09-10 09:00:10,2026-09-10 09:05:00
b7,inbound,Q1,A1,K6,2026-09-30 23:00:00,2026-09-30 23:00:10,2026-09-30 23:10:00
b8,outbound,Q1,A1,K9,2026-09-08 09:00:00,2026-09-08 09:00:05,2026-09-08 09:10:00
b9,inbound,Q1,A2,K8,2026-09-15 09:00:00,2026-09-15 09:00:10,2026-09-15 09:05:00
b10,inbound,Q1,A2,,2026-09-20 09:00:00,2026-09-20 09:00:10,2026-09-20 09:05:00
b11,inbound,Q1,A2,K10,2026-09-21 09:00:00,2026-09-21 09:00:10,2026-09-21 09:05:00
b12,inbound,Q1,A1,K6,2026-10-01 09:00:00,2026-10-01 09:00:10,2026-10-01 09:05:00
"""
TICKETS = """ticket_id,kind,customer_id,assignee_id,created_at
t1,complaint,K1,S1,2026-09-03 12:00:00
t2,complaint,K2,S1,2026-09-07 09:06:00
t3,complaint,K4,S1,2026-09-05 09:30:00
t4,complaint,K5,S1,2026-09-10 09:03:00
t5,complaint,K5,S1,2026-09-11 10:00:00
t6,complaint,K6,S1,2026-10-01 08:00:00
t7,request,K3,S1,2026-09-05 09:10:00
t8,complaint,K8,S1,2026-09-18 09:05:00
t9,complaint,K9,S1,2026-09-08 09:20:00
t10,complaint,,S1,2026-09-21 09:06:00
"""
# Answered inbound calls with a customer in 2026-09: A1 b1, b3, b4, b6, b7; A2 b2, b9, b11
# (b10 has no customer: no complaint can be traced to it, so it is out of the base).
#   t1 (K1, 09-03 12:00): K1's latest call answered by then is b2 (A2), not b1 (A1).
#   t2 (K2): b3 ended 09-04 09:05, 72 h and 1 min before → outside the window.
#   t3 (K4): K4's only call b5 was not answered; b4 (K3, A1) is another customer's.
#   t4 (K5, 09:03) was logged while b6 was still going on → b6; t5 the next day → b6 too:
#   b6 converted once.
#   t6 (K6, 10-01 08:00): b7 on the last evening of September → September's conversion.
#   t7 is a request, not a complaint. t8 (K8): exactly 72 h after b9 ended → b9.
#   t9 (K9) followed an outbound call: outbound calls never count. t10 names no customer.
# A1: b6, b7 of 5 → 40 %; A2: b2, b9 of 3 → 66.67 %; org 4 of 8 → 50 %.
# In October K6 called again (b12), an hour after t6: t6 stays b7's, so b12 did not convert.


def lake_of(root, sources):
    lake = Lake(root / "lake")
    options = ImportOptions(zone=SHANGHAI, now=NOW, report_dir=root / "reports")
    for source, text in sources:
        path = root / f"{source}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(lake, source, path, path.name, options)
    return lake


def table(lake, period="2026-09", **options):
    values = compute(lake, parse_period(period), CatalogOptions(zone=SHANGHAI, now=NOW, **options))
    return {(v.subject_type, v.subject, v.metric): v for v in values}


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return lake_of(tmp_path_factory.mktemp("conversion"), [("calls", CALLS), ("tickets", TICKETS)])


@pytest.fixture(scope="module")
def september(lake):
    return table(lake)


@pytest.mark.parametrize(
    ("subject_type", "subject", "rate", "converted", "answered"),
    [
        ("employee", "A1", 40, 2, 5),
        ("employee", "A2", 66.67, 2, 3),
        ("org", "org", 50, 4, 8),
    ],
)
def test_hand_computed_conversion(september, subject_type, subject, rate, converted, answered):
    found = september[(subject_type, subject, "complaint_conversion_rate")]
    assert round(found.value, 2) == rate
    assert (found.numerator, found.denominator) == (converted, answered)
    assert september[(subject_type, subject, "complaints_converted")].value == converted


def test_the_complaints_own_assignee_is_not_the_subject(september):
    # S1 handled every complaint ticket but answered no call: the conversion is the agents'.
    assert ("employee", "S1", "complaint_conversion_rate") not in september


def test_a_shorter_window_drops_the_late_complaint(lake):
    day = table(lake, complaint_window_hours=24)
    # t8 came 72 h after b9: outside a 24-hour window; t1 (2 h) and t6 (9 h) stay in.
    a2 = day[("employee", "A2", "complaint_conversion_rate")]
    assert (a2.numerator, a2.denominator) == (1, 3)
    a1 = day[("employee", "A1", "complaint_conversion_rate")]
    assert (a1.numerator, a1.denominator) == (2, 5)


def test_a_complaint_counts_in_the_period_of_its_call(lake):
    # t6 was created on October 1st about a September call; K6's next call, b12, came after
    # the complaint: October's one call did not convert.
    october = table(lake, "2026-10")
    org = october[("org", "org", "complaint_conversion_rate")]
    assert (org.value, org.numerator, org.denominator) == (0, 0, 1)
    assert october[("employee", "A1", "complaints_converted")].value == 0


def test_an_empty_base_has_no_rate(lake):
    november = table(lake, "2026-11")
    org = november[("org", "org", "complaint_conversion_rate")]
    assert (org.value, org.numerator, org.denominator) == (None, 0, 0)


def test_the_latest_call_takes_the_blame_even_when_another_agent_took_it(tmp_path):
    # K1 called A1, then A2 a day later, and complained after both: A2's call converted.
    calls = CALLS.splitlines()[:3]
    lake = lake_of(tmp_path, [("calls", "\n".join(calls) + "\n"),
                              ("tickets", "\n".join(TICKETS.splitlines()[:2]) + "\n")])  # fmt: skip
    found = table(lake)
    assert found[("employee", "A1", "complaints_converted")].value == 0
    assert found[("employee", "A2", "complaints_converted")].value == 1


def test_without_tickets_the_rate_is_unknown_not_zero(tmp_path):
    found = table(lake_of(tmp_path, [("calls", CALLS)]))
    assert ("employee", "A1", "calls_handled") in found
    assert ("employee", "A1", "complaint_conversion_rate") not in found
    assert ("org", "org", "complaints_converted") not in found


def test_an_agent_without_calls_with_a_customer_has_no_rate(tmp_path):
    only_unknown = CALLS.splitlines()[0] + "\n" + CALLS.splitlines()[10] + "\n"
    found = table(lake_of(tmp_path, [("calls", only_unknown), ("tickets", TICKETS)]))
    assert ("employee", "A2", "calls_handled") in found
    assert ("employee", "A2", "complaint_conversion_rate") not in found


def test_a_complaint_logged_while_the_call_goes_on_is_that_calls(tmp_path):
    header = CALLS.splitlines()[0]
    b6 = next(line for line in CALLS.splitlines() if line.startswith("b6,"))
    t4 = next(line for line in TICKETS.splitlines() if line.startswith("t4,"))
    lake = lake_of(tmp_path, [("calls", f"{header}\n{b6}\n"),
                              ("tickets", f"{TICKETS.splitlines()[0]}\n{t4}\n")])  # fmt: skip
    assert table(lake)[("employee", "A1", "complaints_converted")].value == 1
