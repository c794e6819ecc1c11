"""The operational-data page: upload, preview without writing, import, result."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.data.models import DataBatch

CALLS = (
    "通话编号,方向,队列,坐席工号,客户编号,进线时间,接通时间,结束时间\n"
    "c1,呼入,Q1,A001,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10\n"
    "c2,呼入,Q1,ZZZ,K2,2026-09-01 09:10:00,2026-09-01 09:10:30,2026-09-01 09:13:30\n"
)


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path


def upload(client, text, source="calls", name="calls.csv"):
    return client.post(
        reverse("data-import"), {"source": source, "file": SimpleUploadedFile(name, text.encode())}
    )


def lake_files(settings):
    return sorted((settings.HOME / "lake").rglob("*.parquet"))


def test_preview_writes_nothing_then_import_records_the_batch(client_for, org, settings):
    client = client_for("alice")
    page = upload(client, CALLS).content.decode()
    assert 'data-ok="true"' in page
    assert "ZZZ" in page  # the unknown employee number is named
    assert lake_files(settings) == []
    assert not DataBatch.objects.exists()
    done = client.post(reverse("data-import-apply"), follow=True)
    assert done.redirect_chain[-1][0] == reverse("data-import")
    assert "2 new" in done.content.decode() or "新增" in done.content.decode()
    batch = DataBatch.objects.get()
    assert (batch.source, batch.accepted, batch.imported_by) == ("calls", 2, org.users["alice"])
    assert len(lake_files(settings)) == 1
    # The same file again: the preview says nothing is new and offers no import.
    again = upload(client, CALLS).content.decode()
    assert reverse("data-import-apply") not in again.split("Recent imports")[0].split("最近导入")[0]


def test_a_bad_file_lists_its_problems_and_writes_nothing(client_for, org, settings):
    page = upload(client_for("alice"), CALLS + "c3,sideways,Q1,,K3,later,,x\n").content.decode()
    assert 'data-ok="false"' in page
    assert "<td>4</td><td><code>direction</code></td>" in page
    assert "<td>4</td><td><code>offered_at</code></td>" in page
    assert lake_files(settings) == []


def test_refusals(client_for, org):
    client = client_for("alice")
    assert "CSV" in upload(client, CALLS, name="calls.pdf").content.decode()
    assert client.post(reverse("data-import-apply"), follow=True).status_code == 200
    assert upload(client_for("harry"), CALLS).status_code == 403
    assert client_for("harry").post(reverse("data-import-apply")).status_code == 403
    assert not DataBatch.objects.exists()
