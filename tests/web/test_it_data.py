"""Recording lake batches in the app database, and the calendar overrides in metrics."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from kaohe.audit.models import AuditEntry
from kaohe.data import services
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
    batch = services.do_import(org.users["alice"], "tickets", path, "tickets.csv")
    assert isinstance(batch, DataBatch)
    assert (batch.source, batch.seq, batch.accepted, batch.imported_by) == (
        "tickets", 1, 1, org.users["alice"],
    )  # fmt: skip
    assert batch.unknown_employees == {}  # A001 is ann
    entry = AuditEntry.objects.get(action="data.import")
    assert entry.after["new"] == 1
    again = services.do_import(org.users["alice"], "tickets", path, "tickets.csv")
    assert not isinstance(again, DataBatch)  # nothing new, nothing recorded
    assert DataBatch.objects.count() == 1


@pytest.mark.parametrize("role", ["harry", "eve", "mike", "ann"])
def test_only_whole_organisation_hr_imports_data(org, tmp_path, role):
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    with pytest.raises(PermissionDenied):
        services.do_import(org.users[role], "tickets", path, "tickets.csv")
    assert not DataBatch.objects.exists()


def test_calendar_overrides_change_the_working_day_count(org, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(
        "ticket_id,kind,assignee_id,created_at,first_response_at,resolved_at\n"
        "t1,complaint,A001,2026-09-09 10:00:00,2026-09-09 10:30:00,2026-09-14 10:00:00\n",
        encoding="utf-8",
    )
    services.do_import(org.users["alice"], "tickets", path, "tickets.csv")

    def resolved_within_3wd():
        values = services.metrics("2026-09", "A001")
        return next(v.value for v in values if v.metric == "complaint_resolved_3wd_rate")

    # Created Wed 09-09, resolved Mon 09-14: Thu, Fri and Mon are 3 working days.
    assert resolved_within_3wd() == 100
    # The company works Saturday 09-12: now Thu, Fri, Sat, Mon are 4, a miss.
    CalendarDay.objects.create(day=date(2026, 9, 12), workday=True, note="公司调休")
    assert resolved_within_3wd() == 0
