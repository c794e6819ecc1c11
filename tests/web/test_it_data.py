"""Recording lake batches in the app database, and the calendar overrides in metrics."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.audit.models import AuditEntry
from kaohe.data import actions, services
from kaohe.data.models import CalendarDay, DataBatch

TICKETS = (
    "ticket_id,kind,assignee_id,created_at,first_response_at,resolved_at\n"
    "t1,complaint,A001,2026-09-28 10:00:00,2026-09-28 10:30:00,2026-10-01 10:00:00\n"
)


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path


def test_an_import_is_recorded_with_its_counts_and_audited(org, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    batch = actions.do_import_data(org.users["alice"], "tickets", path, "tickets.csv")
    assert isinstance(batch, DataBatch)
    assert (batch.source, batch.seq, batch.accepted, batch.imported_by) == (
        "tickets", 1, 1, org.users["alice"],
    )  # fmt: skip
    assert batch.unknown_employees == {}  # A001 is ann
    entry = AuditEntry.objects.get(action="data.import")
    assert entry.after["new"] == 1
    again = actions.do_import_data(org.users["alice"], "tickets", path, "tickets.csv")
    assert not isinstance(again, DataBatch)  # nothing new, nothing recorded
    assert DataBatch.objects.count() == 1


@pytest.mark.parametrize("role", ["harry", "eve", "mike", "ann"])
def test_only_whole_organisation_hr_imports_data(org, tmp_path, role):
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        actions.do_import_data(org.users[role], "tickets", path, "tickets.csv")
    assert not DataBatch.objects.exists()


def test_calendar_overrides_change_the_working_day_count(org, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(
        "ticket_id,kind,assignee_id,created_at,first_response_at,resolved_at\n"
        "t1,complaint,A001,2026-09-09 10:00:00,2026-09-09 10:30:00,2026-09-14 10:00:00\n",
        encoding="utf-8",
    )
    actions.do_import_data(org.users["alice"], "tickets", path, "tickets.csv")

    def resolved_within_3wd():
        values = services.metrics("2026-09", "A001")
        return next(v.value for v in values if v.metric == "complaint_resolved_3wd_rate")

    # Created Wed 09-09, resolved Mon 09-14: Thu, Fri and Mon are 3 working days.
    assert resolved_within_3wd() == 100
    # The company works Saturday 09-12: now Thu, Fri, Sat, Mon are 4, a miss.
    CalendarDay.objects.create(day=date(2026, 9, 12), workday=True, note="公司调休")
    assert resolved_within_3wd() == 0


CALLS = (
    "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,wrap_seconds\n"
    "c1,inbound,Q1,A001,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10,20\n"
    "c2,inbound,Q1,,K2,2026-09-01 09:10:00,,2026-09-01 09:12:00,\n"
)
COMPLAINTS = (
    "ticket_id,kind,assignee_id,created_at,first_response_at,resolved_at\n"
    "t1,complaint,B001,2026-09-09 10:00:00,2026-09-09 13:00:00,2026-09-10 10:00:00\n"
)


def test_stored_metrics_fill_a_persons_and_the_organisations_inputs(org, tmp_path):
    from kaohe.core import load_scheme
    from kaohe.data.models import MetricRecord, MetricRun

    for source, text in (("calls", CALLS), ("tickets", COMPLAINTS)):
        path = tmp_path / f"{source}.csv"
        path.write_text(text, encoding="utf-8")
        actions.do_import_data(org.users["alice"], source, path, path.name)
    agent_inputs = services.inputs_from_metrics(load_scheme("cs-agent"), "A001", "2026-09")
    run = MetricRun.objects.get()
    assert run.period == "2026-09"
    assert sorted(run.batches) == [["calls", 1], ["tickets", 1]]  # the provenance
    assert MetricRecord.objects.filter(run=run, subject="A001", metric="fcr_rate").exists()
    # The agent's own talk time (300 s, read in minutes) and FCR, the answer rate of the
    # queue the agent works (1 of 2 offered there), and complaint conversion: the one
    # complaint names no customer, so it traces to no call.
    assert agent_inputs == {
        "avg_talk_minutes": Decimal(5),
        "fcr_rate": Decimal(100),
        "answer_rate": Decimal(50),
        "complaint_conversion_rate": Decimal(0),
    }
    director = services.inputs_from_metrics(load_scheme("cs-director"), "D001", "2026-09")
    # Org-wide complaints: answered after 3 h (a miss), resolved next day (within 3 days).
    assert director == {
        "complaint_response_2h_rate": 0.0,
        "complaint_resolved_3wd_rate": 100.0,
        "complaint_resolution_rate": 100.0,
    }
    # Asking again reuses the stored computation.
    services.inputs_from_metrics(load_scheme("cs-agent"), "A001", "2026-Q3")
    assert MetricRun.objects.count() == 2
    services.inputs_from_metrics(load_scheme("cs-agent"), "A001", "2026-09")
    assert MetricRun.objects.count() == 2
