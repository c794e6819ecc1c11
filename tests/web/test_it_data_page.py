"""The operational-data page: upload, a background check that writes nothing, the import
once confirmed, its progress and result; messages in the reader's language."""

import os
import time
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.data.models import DataBatch, ImportJob
from kaohe.uploads import sweep_uploads

CALLS = (
    "通话编号,方向,队列,坐席工号,客户编号,进线时间,接通时间,结束时间\n"
    "c1,呼入,Q1,A001,K1,2026-09-01 09:00:00,2026-09-01 09:00:10,2026-09-01 09:05:10\n"
    "c2,呼入,Q1,ZZZ,K2,2026-09-01 09:10:00,2026-09-01 09:10:30,2026-09-01 09:13:30\n"
)


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path


def upload(client, text, source="calls", name="calls.csv", **extra):
    data = {"source": source, "file": SimpleUploadedFile(name, text.encode()), **extra}
    return client.post(reverse("data-import"), data)


def checked(client, text, **options):
    """Upload a file; the check runs at once (tests run tasks in place). The job's page."""
    response = upload(client, text, **options)
    assert response.status_code == 302, response.content.decode()[:500]
    return client.get(response.url).content.decode()


def lake_files(settings):
    return sorted((settings.HOME / "lake").rglob("*.parquet"))


def uploads(settings):
    folder = settings.UPLOADS_DIR
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_check_writes_nothing_then_the_import_records_the_batch(client_for, org, settings):
    client = client_for("alice")
    page = checked(client, CALLS)
    job = ImportJob.objects.get()
    assert (job.stage, job.user, job.result["accepted"]) == ("checked", org.users["alice"], 2)
    assert 'data-ok="true"' in page
    assert "ZZZ" in page  # the unknown employee number is named
    assert lake_files(settings) == []
    assert not DataBatch.objects.exists()
    assert not (settings.HOME / "imports").exists()  # a check writes no report
    assert len(uploads(settings)) == 1
    done = client.post(reverse("data-job-import", args=[job.pk]), follow=True)
    assert done.redirect_chain[-1][0] == reverse("data-job", args=[job.pk])
    assert "新增 2 条" in done.content.decode()
    batch = DataBatch.objects.get()
    assert (batch.source, batch.accepted, batch.imported_by) == ("calls", 2, org.users["alice"])
    job.refresh_from_db()
    assert (job.stage, job.batch, job.share) == ("done", batch, 1.0)
    assert len(lake_files(settings)) == 1
    assert uploads(settings) == []  # an imported file's upload is removed
    # A second click imports nothing twice.
    client.post(reverse("data-job-import", args=[job.pk]))
    assert DataBatch.objects.count() == 1
    # The same file again: the check says nothing is new and offers no import.
    again = checked(client, CALLS)
    assert "importing it would change nothing" in again or "导入不会产生任何变化" in again
    assert reverse("data-job-import", args=[job.pk + 1]) not in again


def test_a_bad_file_lists_its_problems_in_the_readers_language(client_for, org, settings):
    client = client_for("alice")
    bad = CALLS + "c3,sideways,Q1,,K3,later,,x\n"
    page = checked(client, bad)
    assert 'data-ok="false"' in page
    assert '<td>4</td><td>方向 <code class="muted">direction</code></td>' in page
    assert (
        "无法识别的值 &#x27;sideways&#x27;（可填：inbound（呼入、入）、outbound（呼出、出））"
        in page
    )
    assert '<td>4</td><td>进线时间 <code class="muted">offered_at</code></td>' in page
    assert "不是有效的时间：&#x27;later&#x27;（请使用 ISO 8601 格式" in page
    job = ImportJob.objects.get()
    assert client.post(reverse("data-job-import", args=[job.pk])).status_code == 302
    assert lake_files(settings) == []
    client.cookies["django_language"] = "en"
    english = client.get(reverse("data-job", args=[job.pk])).content.decode()
    assert '<td>4</td><td>Direction <code class="muted">direction</code></td>' in english
    assert "unknown value &#x27;sideways&#x27; (use inbound, outbound)" in english
    assert "3 problems; nothing was imported." in english
    assert '<option value="calls" selected>Call records (calls)</option>' in english


def test_quarantine_shows_the_rows_it_would_set_aside_then_imports_the_rest(client_for, org):
    client = client_for("alice")
    bad = CALLS + "c3,sideways,Q1,,K3,2026-09-01 09:20:00,,2026-09-01 09:21:00\n"
    page = checked(client, bad, quarantine="on")
    assert 'data-ok="true"' in page
    assert "<td>4</td><td>方向" in page
    job = ImportJob.objects.get()
    client.post(reverse("data-job-import", args=[job.pk]))
    job.refresh_from_db()
    assert (job.stage, job.result["accepted"], job.result["rejected"]) == ("done", 2, 1)
    assert job.result["quarantine_file"].endswith("-quarantine.csv")


def test_the_progress_partial_polls_while_running_and_stops_when_done(client_for, org):
    client = client_for("alice")
    checked(client, CALLS)
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(stage="importing", rows_read=1_234_567, share=0.42)
    partial = client.get(reverse("data-job-progress", args=[job.pk])).content.decode()
    assert partial.lstrip().startswith('<section class="card" id="job"')
    assert 'hx-trigger="every 1s"' in partial
    assert "1,234,567" in partial
    assert "42%" in partial
    assert '<progress max="100" value="42">' in partial
    ImportJob.objects.filter(pk=job.pk).update(stage="done")
    finished = client.get(reverse("data-job-progress", args=[job.pk])).content.decode()
    assert "hx-trigger" not in finished


def test_each_source_is_named_in_words_with_its_columns(client_for, org):
    page = client_for("alice").get(reverse("data-import")).content.decode()
    assert "话务记录（calls）" in page
    assert "资产盘点（asset_checks）" in page
    assert '<details data-source="calls">' in page
    assert (
        "<td><code>offered_at</code></td><td>进线时间</td><td>必填</td><td>进线时间、呼入时间、振铃时间</td>"
        in page
    )
    assert "未接通则留空" in page
    assert "检查过但未导入的文件会在 24 小时后删除" in page


def test_recent_imports_show_the_organisations_time_and_counts_for_people(client_for, org):
    batch = DataBatch.objects.create(
        source="calls", seq=1, file_name="big.csv", checksum="x", accepted=12_345_678
    )
    DataBatch.objects.filter(pk=batch.pk).update(
        imported_at=datetime(2026, 9, 1, 1, 30, tzinfo=UTC)
    )
    page = client_for("alice").get(reverse("data-import")).content.decode()
    row = page.split('data-testid="batches"')[1].split("</tr>")[1]
    assert "<td>话务记录</td><td>big.csv</td><td>12,345,678</td>" in row
    assert "2026-09-01 09:30" in row  # 01:30 UTC is 09:30 in Shanghai


def test_uploads_never_applied_are_swept_after_the_retention_time(client_for, org, settings):
    client = client_for("alice")
    checked(client, CALLS)
    (old,) = uploads(settings)
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    checked(client, CALLS)  # a new upload sweeps the folder first
    assert old not in uploads(settings)
    assert len(uploads(settings)) == 1
    assert sweep_uploads() == []
    job = ImportJob.objects.order_by("pk").first()
    page = client.get(reverse("data-job", args=[job.pk])).content.decode()
    assert "上传的文件已失效" in page


def test_refusals(client_for, org):
    client = client_for("alice")
    assert "不是 CSV 或 XLSX 文件" in upload(client, CALLS, name="calls.pdf").content.decode()
    assert upload(client, CALLS, source="chats").status_code == 200
    assert not ImportJob.objects.exists()
    assert upload(client_for("harry"), CALLS).status_code == 403
    checked(client_for("alice"), CALLS)
    job = ImportJob.objects.get()
    # Someone else's job is not found, even for another HR admin; no access is 403.
    assert client_for("harry").get(reverse("data-job", args=[job.pk])).status_code == 403
    assert client_for("harry").post(reverse("data-job-import", args=[job.pk])).status_code == 403
    assert not DataBatch.objects.exists()


def test_another_hr_admins_job_is_not_found(client_for, org):
    from kaohe.org.models import AccessGrant, GrantRole

    AccessGrant.objects.create(user=org.users["eve"], role=GrantRole.HR_ADMIN)
    checked(client_for("alice"), CALLS)
    job = ImportJob.objects.get()
    assert client_for("eve").get(reverse("data-job", args=[job.pk])).status_code == 404


def test_a_large_upload_is_moved_into_place_never_read_into_memory(client_for, org, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64  # Django spools anything larger to disk
    client = client_for("alice")
    checked(client, CALLS)
    (kept,) = uploads(settings)
    assert kept.read_text(encoding="utf-8") == CALLS
    assert (kept.suffix, len(kept.stem)) == (".csv", 32)  # a random token, not the name
    assert ImportJob.objects.get().file_name == "calls.csv"


def test_start_up_fails_jobs_whose_process_died_and_leaves_live_ones(client_for, org):
    from datetime import timedelta

    from django.utils import timezone

    from kaohe.data.services import on_start

    client = client_for("alice")
    checked(client, CALLS)
    checked(client, CALLS)
    dead, live = ImportJob.objects.order_by("pk")
    ImportJob.objects.filter(pk=dead.pk).update(
        stage="importing", updated_at=timezone.now() - timedelta(hours=2)
    )
    ImportJob.objects.filter(pk=live.pk).update(stage="checking", updated_at=timezone.now())
    on_start()
    dead.refresh_from_db()
    live.refresh_from_db()
    assert (dead.stage, live.stage) == ("failed", "checking")
    page = client.get(reverse("data-job", args=[dead.pk])).content.decode()
    assert "处理中断（服务器在处理时重启了）；请重新上传文件" in page
