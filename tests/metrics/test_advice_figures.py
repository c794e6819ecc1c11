"""The weight advice's quarterly figures on small hand-made data, worked out by hand."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from kaohe.metrics import (
    CatalogOptions,
    ImportOptions,
    Lake,
    advice_figures,
    advice_quarters,
    figure_value,
    import_file,
    latest_record,
    parse_period,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=SHANGHAI)

ACCOUNTS = """account_id,name,key_account,owner_id
KA1,甲,1,D1
KA2,乙,1,D1
KA3,丙,0,D1
KA4,丁,1,L1
"""
VISITS = """visit_id,account_id,employee_id,visited_at
v1,KA1,D1,2026-05-10 10:00:00
v2,KA2,D1,2026-06-10 10:00:00
v3,KA4,L1,2026-04-02 10:00:00
v4,KA4,L1,2026-05-02 10:00:00
v5,KA1,D1,2026-08-10 10:00:00
v6,KA3,D1,2026-08-11 10:00:00
"""
# Key accounts: D1 owns KA1, KA2 (KA3 is not key), L1 owns KA4.
#   2026-Q2: KA1, KA2, KA4 visited (KA4 twice) → D1 2/2, L1 1/1, org 3/3 = 100 %.
#   2026-Q3: only KA1 of the key accounts (KA3 is not one) → D1 1/2, L1 0/1, org 1/3.

CALLS = """call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at
c1,inbound,Q,A1,KA1,2026-05-01 09:00:00,2026-05-01 09:00:05,2026-05-01 09:05:00
c2,inbound,Q,A1,KA4,2026-05-02 09:00:00,2026-05-02 09:00:05,2026-05-02 09:05:00
c3,inbound,Q,A2,K999,2026-05-03 09:00:00,2026-05-03 09:00:05,2026-05-03 09:05:00
c4,inbound,Q,A2,KA2,2026-08-03 09:00:00,2026-08-03 09:00:05,2026-08-03 09:05:00
"""
TICKETS = """ticket_id,kind,customer_id,assignee_id,created_at,first_response_at,resolved_at
t1,complaint,KA1,A1,2026-05-01 10:00:00,2026-05-01 10:30:00,2026-05-01 20:00:00
t2,complaint,K7,A2,2026-05-02 10:00:00,2026-05-02 10:30:00,2026-05-02 16:00:00
t3,request,KA2,A2,2026-05-03 10:00:00,,2026-05-03 11:00:00
t4,complaint,K8,A1,2026-08-01 10:00:00,2026-08-01 10:30:00,2026-08-03 10:00:00
t5,complaint,K9,A2,2026-08-02 10:00:00,,
"""
# Complaints (t3 is a request): 2026-Q2 t1 (10 h, A1), t2 (6 h, A2) → resolved 2/2, mean 8 h.
#   2026-Q3 t4 (48 h, A1), t5 unresolved (A2) → resolved 1/2 = 50 %, mean 48 h over the one.

SURVEYS = """survey_id,kind,score,agent_id,responded_at,call_id,ticket_id
s1,nps,10,A1,2026-05-01 12:00:00,c1,
s2,nps,3,A1,2026-05-02 12:00:00,c2,
s3,nps,9,A2,2026-05-03 12:00:00,c3,
s4,nps,9,A2,2026-05-03 13:00:00,,t3
s5,csat,5,A1,2026-05-04 12:00:00,c1,
s6,nps,6,A2,2026-08-03 12:00:00,c4,
"""
# NPS from key accounts: 2026-Q2 s1 (KA1, promoter, A1), s2 (KA4, detractor, A1), s4 (KA2 via
#   the ticket, promoter, A2); s3's customer is no key account, s5 is no NPS answer.
#   A1 1 − 1 of 2 → 0; A2 1 of 1 → +100; org 2 − 1 of 3 → +33.3.
#   2026-Q3 s6 (KA2, detractor, A2) → A2 and org −100.


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    root = tmp_path_factory.mktemp("advice")
    lake = Lake(root / "lake")
    options = ImportOptions(zone=SHANGHAI, now=NOW, report_dir=root / "reports")
    for source, text in [("accounts", ACCOUNTS), ("visits", VISITS), ("calls", CALLS),
                         ("tickets", TICKETS), ("surveys", SURVEYS)]:  # fmt: skip
        path = root / f"{source}.csv"
        path.write_text(text, encoding="utf-8")
        import_file(lake, source, path, path.name, options)
    return lake


@pytest.fixture(scope="module")
def figures(lake):
    quarters = [parse_period("2026-Q2"), parse_period("2026-Q3")]
    return advice_figures(lake, quarters, CatalogOptions(SHANGHAI, NOW))


def value(figures, quarter, subject, figure):
    found = [v for v in figures[quarter] if v.subject == subject and v.metric == figure]
    assert len(found) == 1, (quarter, subject, figure, found)
    return found[0]


@pytest.mark.parametrize(
    ("quarter", "subject", "figure", "expected"),
    [
        ("2026-Q2", "org", "key_account_revisit_rate", 100),
        ("2026-Q2", "D1", "key_account_revisit_rate", 100),
        ("2026-Q3", "org", "key_account_revisit_rate", 100 / 3),
        ("2026-Q3", "D1", "key_account_revisit_rate", 50),
        ("2026-Q3", "L1", "key_account_revisit_rate", 0),
        ("2026-Q2", "org", "key_account_nps", 100 / 3),
        ("2026-Q2", "A1", "key_account_nps", 0),
        ("2026-Q2", "A2", "key_account_nps", 100),
        ("2026-Q3", "org", "key_account_nps", -100),
        ("2026-Q2", "org", "complaint_resolution_rate", 100),
        ("2026-Q3", "org", "complaint_resolution_rate", 50),
        ("2026-Q2", "org", "complaint_resolution_hours", 8),
        ("2026-Q2", "A1", "complaint_resolution_hours", 10),
        ("2026-Q3", "org", "complaint_resolution_hours", 48),
    ],
)
def test_hand_computed_figures(figures, quarter, subject, figure, expected):
    assert value(figures, quarter, subject, figure).value == pytest.approx(expected)


def test_the_bases_are_reported_so_that_people_add_up(figures):
    nps = value(figures, "2026-Q2", "org", "key_account_nps")
    assert (nps.numerator, nps.denominator) == (1, 3)
    hours = value(figures, "2026-Q3", "A2", "complaint_resolution_hours")
    assert hours.value is None  # nothing resolved: no mean
    assert hours.denominator == 0
    # Two people's figures added up give the organisation's.
    people = [value(figures, "2026-Q2", p, "key_account_nps") for p in ("A1", "A2")]
    total = figure_value(
        "key_account_nps",
        sum(p.numerator for p in people),
        sum(p.denominator for p in people),
    )
    assert total == pytest.approx(nps.value)


def test_a_quarter_without_a_visit_has_no_revisit_rate(lake):
    found = advice_figures(lake, [parse_period("2026-Q1")], CatalogOptions(SHANGHAI, NOW))
    rates = [v for v in found["2026-Q1"] if v.metric == "key_account_revisit_rate"]
    assert [(v.subject, v.value, v.denominator) for v in rates] == [("org", None, 0)]


def test_an_empty_lake_has_no_figures(tmp_path):
    found = advice_figures(Lake(tmp_path / "lake"), [parse_period("2026-Q3")],
                           CatalogOptions(SHANGHAI, NOW))  # fmt: skip
    assert found == {"2026-Q3": []}
    assert latest_record(Lake(tmp_path / "lake")) is None


def test_the_latest_record_is_the_latest_visit_ticket_or_survey(lake):
    assert latest_record(lake) == datetime(2026, 8, 11, 10, 0, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("now", "latest", "expected"),
    [
        # In the middle of Q4: Q3 is the last quarter over.
        (datetime(2026, 12, 4, tzinfo=SHANGHAI), None, ["2026-Q1", "2026-Q2", "2026-Q3"]),
        # The first moment of Q4: Q3 has just ended.
        (datetime(2026, 10, 1, tzinfo=SHANGHAI), None, ["2026-Q1", "2026-Q2", "2026-Q3"]),
        # Records stop in 2026-Q2: the quarters with none are not judged.
        (
            datetime(2026, 12, 4, tzinfo=SHANGHAI),
            datetime(2026, 5, 2, tzinfo=SHANGHAI),
            ["2025-Q4", "2026-Q1", "2026-Q2"],
        ),
        # Records run into the quarter under way: still the last quarter over.
        (
            datetime(2026, 12, 4, tzinfo=SHANGHAI),
            datetime(2026, 12, 1, tzinfo=SHANGHAI),
            ["2026-Q1", "2026-Q2", "2026-Q3"],
        ),
        # Across a year's turn.
        (datetime(2027, 2, 1, tzinfo=SHANGHAI), None, ["2026-Q2", "2026-Q3", "2026-Q4"]),
    ],
)
def test_the_quarters_judged(now, latest, expected):
    assert [q.name for q in advice_quarters(now, SHANGHAI, 3, latest)] == expected
