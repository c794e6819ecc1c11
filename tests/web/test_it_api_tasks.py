"""``/api/v1/tasks/{id}``: background work followed from the record it reports on — a
cycle's launch, a Data-page job — and only by those who may see that record."""

from __future__ import annotations

import pytest

from kaohe.appraisals import launch
from kaohe.appraisals.models import Cycle
from kaohe.data.models import ImportJob
from kaohe.tokens.models import TokenScope

from .workflow import launched_cycle, new_cycle


@pytest.fixture
def draft(org):
    from kaohe.schemes.library import import_builtin_schemes

    import_builtin_schemes()
    departments = [org.departments["企服部"]]
    return new_cycle(org.users["alice"], name="2026 Q4", period="2026-Q4", departments=departments)


def test_a_launch_names_its_task_which_goes_from_queued_to_succeeded(
    org, api_for, draft, django_capture_on_commit_callbacks
):
    hr = api_for("alice", TokenScope.WRITE)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        launched = hr.post(f"/api/v1/cycles/{draft.pk}/launch")
    assert launched.status_code == 202
    task_url = launched.json()["task"]
    assert launched["Location"] == task_url == f"/api/v1/tasks/cycle-launch-{draft.pk}"
    waiting = hr.get(task_url).json()
    assert (waiting["status"], waiting["kind"], waiting["result"]) == ("queued", "cycle_launch", {})
    assert waiting["target"] == f"/api/v1/cycles/{draft.pk}"
    for run in queued:  # the worker picks the task up
        run()
    done = hr.get(task_url, HTTP_ACCEPT_LANGUAGE="en").json()
    made = draft.appraisals.count()
    assert made > 0
    assert done["status"] == "succeeded"
    assert done["done"] == done["total"] == made
    assert done["result"] == {"cycle": draft.pk, "appraisals": made}
    assert done["detail"] == "The cycle is launched."


def test_a_running_launch_counts_what_it_has_made(org, api_for, draft):
    Cycle.objects.filter(pk=draft.pk).update(
        status=Cycle.Status.LAUNCHING, launch_total=40, launch_done=12
    )
    running = api_for("alice").get(f"/api/v1/tasks/cycle-launch-{draft.pk}").json()
    assert (running["status"], running["done"], running["total"]) == ("running", 12, 40)
    assert running["detail"] == "正在生成考核：已完成 12 / 40。"


def test_a_failed_launch_says_why_and_that_it_was_undone(org, api_for, draft, monkeypatch):
    def broken(cycle):
        raise RuntimeError("disk full")

    monkeypatch.setattr(launch, "_make_appraisals", broken)
    launch.start_launch(draft, wait=False)
    with pytest.raises(RuntimeError):
        launch.launch_cycle.call(draft.pk)
    answer = api_for("alice").get(
        f"/api/v1/tasks/cycle-launch-{draft.pk}", HTTP_ACCEPT_LANGUAGE="en"
    )
    failed = answer.json()
    assert failed["status"] == "failed"
    assert failed["detail"] == "The launch failed and was undone: RuntimeError: disk full"
    assert not draft.appraisals.exists()


@pytest.mark.parametrize(("key", "status"), [("harry", 404), ("mike", 403), ("eve", 403),
                                             ("ann", 403), ("nobody", 403)])  # fmt: skip
def test_a_launch_is_followed_only_by_hr_who_manage_its_cycle(org, api_for, key, status):
    """HR of one centre: the whole 企服部's launch is as missing as no launch at all;
    anyone not HR may follow no launch."""
    cycle = launched_cycle(org)
    assert api_for("alice").get(f"/api/v1/tasks/cycle-launch-{cycle.pk}").status_code == 200
    hidden = api_for(key).get(f"/api/v1/tasks/cycle-launch-{cycle.pk}")
    missing = api_for(key).get("/api/v1/tasks/cycle-launch-999999")
    assert hidden.status_code == missing.status_code == status
    assert hidden.json() == missing.json()


@pytest.mark.parametrize("task_id", ["cycle-launch-0", "launch-1", "cycle-launch-x", "data-job-"])
def test_ids_of_no_task_are_not_found(org, api_for, draft, task_id):
    assert api_for("alice").get(f"/api/v1/tasks/{task_id}").status_code == 404


def test_a_draft_never_launched_has_no_task(org, api_for, draft):
    assert api_for("alice").get(f"/api/v1/tasks/cycle-launch-{draft.pk}").status_code == 404


def job(org, key="alice", **fields):
    return ImportJob.objects.create(
        user=org.users[key], source="calls", file_name="calls.csv", upload="x", **fields
    )


def test_a_data_job_reports_its_stage_and_counts_but_no_server_files(org, api_for):
    checking = job(org, stage=ImportJob.Stage.CHECKING, rows_read=5000)
    answer = api_for("alice").get(f"/api/v1/tasks/data-job-{checking.pk}").json()
    assert (answer["status"], answer["kind"], answer["done"]) == ("running", "data_check", 5000)
    done = job(
        org,
        stage=ImportJob.Stage.DONE,
        rows_read=3,
        result={"rows_read": 3, "accepted": 2, "unchanged": 1, "report_file": "r-9f.xlsx",
                "unknown_employees": {"A9": [2]}},
    )  # fmt: skip
    answer = api_for("alice").get(f"/api/v1/tasks/data-job-{done.pk}").json()
    assert (answer["status"], answer["kind"]) == ("succeeded", "data_import")
    assert answer["result"] == {"rows_read": 3, "accepted": 2, "unchanged": 1}
    assert answer["target"] == f"/data/jobs/{done.pk}/"


def test_a_failed_data_job_says_why_in_the_callers_language(org, api_for):
    expired = {"zh": "文件已过期", "en": "File expired"}
    failed = job(org, stage=ImportJob.Stage.FAILED, error=expired)
    answer = api_for("alice").get(f"/api/v1/tasks/data-job-{failed.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert (answer.json()["status"], answer.json()["detail"]) == ("failed", "File expired")


def test_a_data_job_is_its_owners_alone(org, api_for):
    """Another whole-organisation HR finds it missing; people who import nothing may
    follow no data job."""
    from kaohe.org.models import GrantRole

    from .factory import unlinked_account

    mine = job(org, stage=ImportJob.Stage.CHECKED)
    org.users["hr2"] = unlinked_account("hr2", role=GrantRole.HR_ADMIN)
    assert api_for("hr2").get(f"/api/v1/tasks/data-job-{mine.pk}").status_code == 404
    for key in ("harry", "mike", "ann", "eve"):
        assert api_for(key).get(f"/api/v1/tasks/data-job-{mine.pk}").status_code == 403


def test_a_data_token_follows_no_task(org, api_for, draft):
    assert api_for("alice", TokenScope.DATA).get("/api/v1/tasks/data-job-1").status_code == 403


def test_a_refused_check_counts_its_problems_as_the_page_does(org, api_for):
    refused = job(org, stage=ImportJob.Stage.CHECKED, problem_total=2)
    answer = api_for("alice").get(f"/api/v1/tasks/data-job-{refused.pk}", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["detail"] == "2 problems; nothing was imported."
    answer = api_for("alice").get(f"/api/v1/tasks/data-job-{refused.pk}")
    assert answer.json()["detail"] == "有 2 个问题，未导入任何数据。"
