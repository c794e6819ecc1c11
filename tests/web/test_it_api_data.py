"""``/api/v1/metrics`` and ``/api/v1/data/batches``: stored values with their provenance and
what was imported, for whole-organisation HR only, as the Data page."""

from __future__ import annotations

import pytest

from kaohe.data import actions, services

from .test_it_data import TICKETS

USERS = ["ann", "mike", "dora", "alice", "harry", "eve", "nobody"]


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path


@pytest.fixture
def imported(org, tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text(TICKETS, encoding="utf-8")
    batch = actions.do_import_data(org.users["alice"], "tickets", path, "tickets.csv")
    run = services.store_metrics("2026-Q3")
    return batch, run


@pytest.mark.parametrize("key", USERS)
def test_only_whole_organisation_hr_reads_the_data(imported, api_for, key):
    for path in ("/api/v1/metrics?period=2026-Q3", "/api/v1/data/batches"):
        assert api_for(key).get(path).status_code == (200 if key == "alice" else 403), path


def test_metrics_come_with_numerator_denominator_and_the_batches_read(imported, api_for):
    batch, run = imported
    body = api_for("alice").get("/api/v1/metrics", {"period": "2026-Q3", "subject": "A001",
                                                    "page_size": 500}).json()  # fmt: skip
    assert body["batches"] == [f"tickets#{batch.seq}"]
    assert body["computed_at"]
    assert body["count"] == run.records.filter(subject="A001").count() > 0
    stored = {(r.metric): r for r in run.records.filter(subject="A001")}
    for value in body["results"]:
        record = stored[value["metric"]]
        assert (value["value"], value["numerator"], value["denominator"]) == (
            record.value, record.numerator, record.denominator,
        )  # fmt: skip


def test_a_period_without_a_computation_is_empty_and_a_missing_period_is_a_problem(
    imported, api_for
):
    empty = api_for("alice").get("/api/v1/metrics", {"period": "2025-Q1"}).json()
    assert empty["count"] == 0
    assert empty["computed_at"] is None
    missing = api_for("alice").get("/api/v1/metrics")
    assert missing.status_code == 422
    assert missing.json()["errors"][0]["field"] == "period"


def test_batches_say_what_was_imported_and_by_whom(imported, api_for, org):
    batch, _run = imported
    (row,) = api_for("alice").get("/api/v1/data/batches").json()["results"]
    assert row["id"] == f"tickets#{batch.seq}"
    assert (row["new"], row["rejected"], row["file_name"]) == (1, 0, "tickets.csv")
    assert row["imported_by"] == org.people["alice"].name
    assert api_for("alice").get("/api/v1/data/batches", {"source": "calls"}).json()["count"] == 0
