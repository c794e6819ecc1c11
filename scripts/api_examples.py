"""Record the OpenAPI document's examples from real answers of the demo organisation.

    .venv/bin/python scripts/api_examples.py

Builds the demo in a throwaway KAOHE_HOME, calls every operation of the API once as the
person it is for, and writes each request and answer to kaohe/api/openapi_examples.json,
lists cut to their first two items. Run it again after changing what an endpoint answers;
tests/web/test_it_documents_the_api.py checks the examples still match the document.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET = ROOT / "kaohe" / "api" / "openapi_examples.json"
LINTED = "name: 示例方案\nscope: 客服专员\ndimensions: []\n"


def trimmed(value: Any) -> Any:
    """Lists cut to two items, all the way down: an example, not a dump."""
    if isinstance(value, list):
        return [trimmed(item) for item in value[:2]]
    if isinstance(value, dict):
        return {key: trimmed(item) for key, item in value.items()}
    return value


class Recorder:
    def __init__(self) -> None:
        self.examples: dict[str, dict[str, Any]] = {}

    def call(self, client: Any, method: str, path: str, template: str, **request: Any) -> Any:
        """Call ``path``, record it under the document's ``template``; the answer's body
        (a file's answer is recorded as what it is: its type and size)."""
        body = request.pop("body", None)
        kind = request.pop("kind", "application/json")
        if method == "GET":
            answer = client.get(path, request, HTTP_ACCEPT_LANGUAGE="zh-hans")
        else:
            content = body if isinstance(body, str) else json.dumps(body or {})
            answer = client.generic(
                method, path, content, content_type=kind, HTTP_ACCEPT_LANGUAGE="zh-hans"
            )
        assert answer.status_code < 300, (path, answer.status_code, answer.content[:500])
        if "json" in answer["Content-Type"]:
            data = answer.json()
        else:
            data = f"({answer['Content-Type'].split(';')[0]}, {len(answer.content):,} bytes)"
        example: dict[str, Any] = {"status": answer.status_code, "response": trimmed(data)}
        if body is not None:
            example["request"] = body
            if kind != "application/json":
                example["request_type"] = kind
        self.examples[f"{method} /api/v1{template}"] = example
        return data


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="kaohe-examples-"))
    os.environ.update(KAOHE_HOME=str(home), KAOHE_TASKS="immediate", KAOHE_HTTPS="false")
    os.environ.pop("DATABASE_URL", None)
    from kaohe.cli.django import migrate, setup_django

    setup_django()
    migrate()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from kaohe.api.schemes import PREVIEW_EXAMPLE
    from kaohe.appraisals.demo import launch_demo_cycle, launch_history_cycle
    from kaohe.appraisals.models import Appraisal
    from kaohe.calibration.demo import open_demo_session
    from kaohe.data.demo_data import load_demo_quarter
    from kaohe.demo import load_demo
    from kaohe.development.demo import demo_development, settle_history
    from kaohe.incidents.demo import demo_incidents
    from kaohe.insights.demo_whatif import demo_whatif
    from kaohe.recognition.demo import demo_recognition
    from kaohe.tokens.actions import do_create_token
    from kaohe.tokens.models import TokenScope

    load_demo()
    users = get_user_model().objects
    load_demo_quarter(users.get(username="hr"), say=lambda _line: None)
    demo_incidents()  # before the reviews, which freeze the counts
    history = launch_history_cycle()
    assert history is not None
    settle_history(history)
    cycle = launch_demo_cycle()
    assert cycle is not None
    open_demo_session(cycle)
    demo_development(cycle)
    demo_recognition()
    saved = demo_whatif()
    assert saved is not None

    def caller(username: str, scope: TokenScope = TokenScope.WRITE) -> Client:
        secret = do_create_token(None, users.get(username=username), "example", scope).secret
        return Client(SERVER_NAME="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {secret}")

    hr, data = caller("hr"), caller("hr", TokenScope.DATA)
    record = Recorder()
    record.call(hr, "GET", "/api/v1/me", "/me")
    record.call(hr, "GET", "/api/v1/employees", "/employees", page_size=2)
    agent = Appraisal.objects.select_related("employee", "version").get(
        employee__user__username="agent", cycle=cycle
    )
    number = agent.employee.number
    record.call(hr, "GET", f"/api/v1/employees/{number}", "/employees/{number}")
    record.call(hr, "GET", "/api/v1/schemes", "/schemes")
    version = agent.version
    record.call(hr, "GET", f"/api/v1/schemes/{version.code}/versions/{version.number}",
                "/schemes/{code}/versions/{number}")  # fmt: skip
    record.call(hr, "POST", "/api/v1/schemes/lint", "/schemes/lint", body=LINTED,
                kind="application/yaml")  # fmt: skip
    record.call(hr, "POST", "/api/v1/schemes/preview", "/schemes/preview",
                body=PREVIEW_EXAMPLE)  # fmt: skip
    record.call(hr, "GET", "/api/v1/cycles", "/cycles")
    made = record.call(hr, "POST", "/api/v1/cycles", "/cycles", body={
        "name": "2026年第四季度绩效考核", "period": "2026-Q4", "departments": ["企服部/客服中心"],
        "deadlines": {"self_assessment": "2026-12-20", "manager_review": "2026-12-27"},
    })  # fmt: skip
    record.call(hr, "GET", f"/api/v1/cycles/{made['id']}", "/cycles/{cycle_id}")
    launched = record.call(
        hr, "POST", f"/api/v1/cycles/{made['id']}/launch", "/cycles/{cycle_id}/launch", body={}
    )
    record.call(hr, "GET", launched["task"], "/tasks/{task_id}")
    record.call(hr, "GET", "/api/v1/appraisals", "/appraisals", page_size=2)
    record.call(hr, "GET", f"/api/v1/appraisals/{agent.pk}", "/appraisals/{appraisal_id}")
    record_an_action(record, caller, made["id"])
    record_reviews(record, caller, made["id"])
    record.call(hr, "GET", "/api/v1/metrics", "/metrics", period="2026-Q3", page_size=2)
    record.call(data, "POST", "/api/v1/data/calls", "/data/{source}", kind="text/csv", body=(
        "call_id,direction,queue,agent_id,customer_id,offered_at,answered_at,ended_at,"
        f"wrap_seconds\nEX-1,inbound,售后,{number},K1,2026-09-30 09:00:00,"
        "2026-09-30 09:00:08,2026-09-30 09:04:40,25\n"
    ))  # fmt: skip
    record.call(hr, "GET", "/api/v1/data/batches", "/data/batches", page_size=2)
    record.call(hr, "GET", "/api/v1/audit", "/audit", page_size=2)
    record_calibration(record, hr, cycle.pk)
    record_pay(record, hr, cycle.pk)
    record_development(record, caller, cycle.pk)
    record_goals(record, caller)
    record_incidents(record, caller, number)
    record_recognition(record, caller)
    record.call(hr, "GET", "/api/v1/dashboards/hr", "/dashboards/hr")
    record_points(record, caller)
    record_dashboards(record, caller)
    record_attrition(record, caller)
    record_advice(record, caller)
    record_whatif(record, caller, saved.pk)
    record_sentiment(record, caller)
    TARGET.write_text(
        json.dumps(record.examples, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"{len(record.examples)} examples written to {TARGET.relative_to(ROOT)}")


def record_advice(record: Recorder, caller: Any) -> None:
    """The weight advice: a launch flag, a look for signals, the proposals, a stage's
    weights rejected and the flag's proposal accepted."""
    hr, path, at = caller("hr"), "/api/v1/insights/advice", "/insights/advice"
    flag_body = {"name": "智能客服助手上线", "starts_on": "2026-12-01", "ends_on": "2027-02-28",
                 "indicators": ["fcr"], "weight": 3, "note": "知识库同步更新"}  # fmt: skip
    flag = record.call(hr, "POST", f"{path}/flags", f"{at}/flags", body=flag_body)
    flag_path, flag_at = f"{path}/flags/{flag['id']}", f"{at}/flags/{{flag_id}}"
    record.call(hr, "PUT", flag_path, flag_at, body={**flag_body, "weight": 4})
    record.call(hr, "GET", f"{path}/flags", f"{at}/flags")
    looked = record.call(hr, "POST", f"{path}/proposals", f"{at}/proposals")
    record.call(hr, "GET", f"{path}/signals", f"{at}/signals")
    record.call(hr, "GET", f"{path}/proposals", f"{at}/proposals", status="pending")
    made = looked["proposals"][0]["id"]
    one = f"{at}/proposals/{{proposal_id}}"
    record.call(hr, "GET", f"{path}/proposals/{made}", one)
    stage = record.call(hr, "POST", f"{path}/stages", f"{at}/stages",
                        body={"scheme": "cs-director", "stage": "growth"})  # fmt: skip
    record.call(hr, "POST", f"{path}/proposals/{stage['id']}/reject", f"{one}/reject",
                body={"reason": "本季度仍以流程体系建设为重点"})  # fmt: skip
    record.call(hr, "POST", f"{path}/proposals/{made}/accept", f"{one}/accept", body={})
    record.call(hr, "POST", f"{flag_path}/end", f"{flag_at}/end", body=None)
    record.call(hr, "DELETE", flag_path, flag_at)


def record_whatif(record: Recorder, caller: Any, saved_id: int) -> None:
    """HR tries the demo's saved change again on its cycle, saves a copy, reads and exports
    it, and deletes the copy."""
    from kaohe.insights.models import SavedWhatIf
    from kaohe.tokens.models import TokenScope

    hr, reader = caller("hr"), caller("hr", TokenScope.READ)
    demo = SavedWhatIf.objects.select_related("replaced").get(pk=saved_id)
    body = {"cycle": demo.cycle_id, "scheme": demo.replaced.code, "text": demo.text}
    base = "/api/v1/insights/what-if"
    record.call(reader, "POST", f"{base}?page_size=2&movement=down", "/insights/what-if",
                body=body)  # fmt: skip
    record.call(hr, "GET", f"{base}/saved", "/insights/what-if/saved")
    made = record.call(hr, "POST", f"{base}/saved", "/insights/what-if/saved",
                       body={**body, "name": "能力权重 30%（副本）"})  # fmt: skip
    path, template = f"{base}/saved/{made['id']}", "/insights/what-if/saved/{saved_id}"
    record.call(hr, "GET", f"{path}?page_size=2", template)
    record.call(hr, "GET", f"{path}.xlsx", f"{template}.xlsx")
    record.call(hr, "GET", f"{path}.csv", f"{template}.csv")
    record.call(hr, "DELETE", path, template)


def record_recognition(record: Recorder, caller: Any) -> None:
    """The agent reads the wall, thanks a teammate (who hides it) and withdraws a second
    thank-you; their lead confirms the first as a positive incident."""
    from kaohe.org.models import Employee

    agent = Employee.objects.get(user__username="agent")
    mate = (
        Employee.objects.filter(manager=agent.manager, active=True, user__isnull=False)
        .exclude(pk__in=[agent.pk, agent.manager_id])
        .order_by("number")
        .first()
    )
    assert mate is not None
    assert mate.user is not None
    me, teammate, lead = caller("agent"), caller(mate.user.username), caller("manager")
    record.call(me, "GET", "/api/v1/recognition/wall", "/recognition/wall", page_size=2)
    record.call(me, "GET", f"/api/v1/recognition/ties/{mate.number}", "/recognition/ties/{number}")
    made = record.call(me, "POST", "/api/v1/recognition/thanks", "/recognition/thanks", body={
        "recipient": mate.number, "note": "高峰期主动帮我接了好几通电话，谢谢！",
        "tie": "value:teamwork",
    })  # fmt: skip
    path, template = f"/api/v1/recognition/thanks/{made['id']}", "/recognition/thanks/{thanks_id}"
    record.call(me, "GET", path, template)
    record.call(teammate, "GET", "/api/v1/recognition/thanks", "/recognition/thanks",
                direction="received", page_size=2)  # fmt: skip
    record.call(teammate, "PUT", f"{path}/shown", f"{template}/shown", body={"shown": False})
    record.call(lead, "POST", f"{path}/confirm", f"{template}/confirm")
    second = record.call(me, "POST", "/api/v1/recognition/thanks", "/recognition/thanks", body={
        "recipient": mate.number, "note": "发错了", "tie": "value:teamwork",
    })  # fmt: skip
    record.call(me, "POST", f"/api/v1/recognition/thanks/{second['id']}/withdraw",
                f"{template}/withdraw")  # fmt: skip


def record_reviews(record: Recorder, caller: Any, cycle_id: int) -> None:
    """A 360 for the demo agent in the new cycle: started by HR, peers nominated by the agent
    and approved by their lead, a draft, answers, a decline, the close and the results."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from kaohe.appraisals.models import Appraisal
    from kaohe.org.models import Employee
    from kaohe.reviews.actions import (
        AnswerInput,
        do_create_setup,
        do_decide_nomination,
        do_open_review,
        do_submit,
    )
    from kaohe.reviews.models import Assignment, ReviewSetup

    users = get_user_model().objects
    hr, lead = users.get(username="hr"), users.get(username="manager")
    for version_id in set(
        Appraisal.objects.filter(cycle_id=cycle_id).values_list("version_id", flat=True)
    ):
        if not ReviewSetup.objects.filter(version_id=version_id).exists():
            do_create_setup(hr, version_id)
    agent = Employee.objects.get(user__username="agent")
    deadline = (timezone.localdate() + timedelta(days=14)).isoformat()
    made = record.call(
        caller("hr"),
        "POST",
        f"/api/v1/cycles/{cycle_id}/reviews",
        "/cycles/{cycle_id}/reviews",
        body={"deadline": deadline, "employees": [agent.number]},
    )
    review = made[0]["id"]
    peers = list(
        Employee.objects.filter(manager=agent.manager).exclude(pk=agent.pk).order_by("number")[:4]
    )
    record.call(
        caller("agent"),
        "POST",
        f"/api/v1/reviews/{review}/nominations",
        "/reviews/{review_id}/nominations",
        body={"group": "peers", "raters": [p.number for p in peers]},
    )
    for assignment in Assignment.objects.filter(review_id=review, status="proposed"):
        do_decide_nomination(lead, assignment.pk, True)
    do_open_review(lead, review)
    first = peers[0]
    record.call(caller(first.user.username), "GET", "/api/v1/reviews", "/reviews")
    task = Assignment.objects.get(review_id=review, rater=first).pk
    levels = {"cooperation": 4, "sharing": 5, "team_goal": 4}
    record.call(
        caller(first.user.username),
        "PUT",
        f"/api/v1/assignments/{task}/draft",
        "/assignments/{assignment_id}/draft",
        body={"levels": {"cooperation": 4}, "comment": ""},
    )
    record.call(
        caller(first.user.username),
        "POST",
        f"/api/v1/assignments/{task}/submit",
        "/assignments/{assignment_id}/submit",
        body={"levels": levels, "comment": "遇到难题时乐于帮忙。"},
    )
    for rater in (peers[1], peers[2], agent, agent.manager):
        mine = Assignment.objects.get(review_id=review, rater=rater)
        do_submit(
            rater.user,
            mine.pk,
            AnswerInput({"cooperation": 4, "sharing": 3, "team_goal": None}, ""),
        )
    last = Assignment.objects.get(review_id=review, rater=peers[3]).pk
    record.call(
        caller(peers[3].user.username),
        "POST",
        f"/api/v1/assignments/{last}/decline",
        "/assignments/{assignment_id}/decline",
        body={"reason": "本季度不在同一班组"},
    )
    record.call(
        caller("hr"),
        "POST",
        f"/api/v1/reviews/{review}/close",
        "/reviews/{review_id}/close",
        body={},
    )
    record.call(caller("agent"), "GET", f"/api/v1/reviews/{review}", "/reviews/{review_id}")


def record_calibration(record: Recorder, hr: Any, cycle_id: int) -> None:
    """The demo's calibration session: read, move, rate, set its guideline, close; and a
    new session opened over the other teams."""
    from kaohe.calibration.models import Session

    session = Session.objects.get()
    base = f"/api/v1/calibration/sessions/{session.pk}"
    record.call(hr, "GET", "/api/v1/calibration/sessions", "/calibration/sessions")
    shown = record.call(hr, "GET", base, "/calibration/sessions/{session_id}")
    first = next(person for person in shown["members"] if person["movable"])
    record.call(hr, "POST", f"{base}/moves", "/calibration/sessions/{session_id}/moves", body={
        "appraisals": [first["appraisal"]], "points": "2", "reason": "跨部门协作表现突出",
    })  # fmt: skip
    record.call(hr, "POST", f"{base}/potential", "/calibration/sessions/{session_id}/potential",
                body={"potential": {str(first["appraisal"]): 3}})  # fmt: skip
    guideline = {"shares": {"A": [10, 20], "B": [20, 30], "C": [30, 50], "D": [5, 15],
                            "E": [0, 10]}, "enforced": False, "minimum_population": 25}  # fmt: skip
    record.call(hr, "PUT", f"{base}/guideline", "/calibration/sessions/{session_id}/guideline",
                body=guideline)  # fmt: skip
    record.call(hr, "PUT", f"/api/v1/cycles/{cycle_id}/guideline", "/cycles/{cycle_id}/guideline",
                body=guideline)  # fmt: skip
    record.call(hr, "POST", "/api/v1/calibration/sessions", "/calibration/sessions", body={
        "cycle": cycle_id, "name": "行政与技术支持校准会", "departments": ["企服部/行政组",
        "企服部/技术支持组"], "participants": ["director"],
    })  # fmt: skip
    record.call(hr, "POST", f"{base}/close", "/calibration/sessions/{session_id}/close", body={})


def record_pay(record: Recorder, hr: Any, cycle_id: int) -> None:
    from kaohe.appraisals.models import Appraisal

    base = f"/api/v1/cycles/{cycle_id}"
    record.call(hr, "GET", f"{base}/pay-list", "/cycles/{cycle_id}/pay-list", page_size=2)
    record.call(hr, "GET", f"{base}/pay-budget", "/cycles/{cycle_id}/pay-budget")
    record.call(hr, "PUT", f"{base}/pay-budget", "/cycles/{cycle_id}/pay-budget",
                body={"department": "企服部/客服中心/客服一组", "amount": "60000"})  # fmt: skip
    record.call(hr, "GET", f"{base}/pay-list.xlsx", "/cycles/{cycle_id}/pay-list.xlsx")
    record.call(hr, "GET", f"{base}/pay-list.csv", "/cycles/{cycle_id}/pay-list.csv")
    locked = Appraisal.objects.filter(cycle_id=cycle_id, state="closed").first()
    assert locked is not None
    record.call(hr, "GET", f"/api/v1/appraisals/{locked.pk}/report.pdf",
                "/appraisals/{appraisal_id}/report.pdf")  # fmt: skip


def record_development(record: Recorder, caller: Any, cycle_id: int) -> None:
    from kaohe.appraisals.models import Appraisal
    from kaohe.development.models import Plan, Proposal

    hr = caller("hr")
    record.call(hr, "GET", "/api/v1/development/proposals", "/development/proposals")
    open_one = Proposal.objects.filter(status="proposed").first()
    assert open_one is not None
    record.call(hr, "POST", f"/api/v1/development/proposals/{open_one.pk}/decision",
                "/development/proposals/{proposal_id}/decision",
                body={"decision": "accept"})  # fmt: skip
    record.call(hr, "GET", "/api/v1/development/plans", "/development/plans")
    pip = Plan.objects.get(appraisal__cycle_id=cycle_id, type="pip")
    plan_path = f"/api/v1/development/plans/{pip.pk}"
    shown = record.call(hr, "GET", plan_path, "/development/plans/{plan_id}")
    record.call(hr, "PUT", plan_path, "/development/plans/{plan_id}", body={
        "items": [{"id": shown["items"][0]["id"], "action": shown["items"][0]["action"],
                   "goal": "录音抽检合格率达到 90%", "due": "2026-12-31", "status": "in_progress"}],
        "support": "每周一次一对一辅导；安排资深同事带教一个月。",
    })  # fmt: skip
    record.call(hr, "POST", f"{plan_path}/check-ins", "/development/plans/{plan_id}/check-ins",
                body={"on": "2026-12-15", "note": "第二次跟进：抽检合格率 88%。"})  # fmt: skip
    employee = caller(pip.employee.user.get_username())
    record.call(employee, "POST", f"{plan_path}/agree", "/development/plans/{plan_id}/agree",
                body={})  # fmt: skip
    record.call(hr, "POST", f"{plan_path}/outcome", "/development/plans/{plan_id}/outcome",
                body={"outcome": "extended", "reason": "进步明显，延长一个月观察。"})  # fmt: skip
    without = (
        Appraisal.objects.filter(cycle_id=cycle_id, results__isnull=False, plans__isnull=True)
        .order_by("pk")
        .first()
    )
    assert without is not None
    record.call(hr, "POST", f"/api/v1/appraisals/{without.pk}/plans",
                "/appraisals/{appraisal_id}/plans", body={"type": "idp"})  # fmt: skip
    record.call(hr, "GET", "/api/v1/development/promotion-candidates",
                "/development/promotion-candidates")  # fmt: skip
    record.call(hr, "GET", "/api/v1/development/diagnosis", "/development/diagnosis")


def record_incidents(record: Recorder, caller: Any, number: str) -> None:
    """The demo lead logs an incident about the demo agent, who answers it; a 1:1."""
    manager, agent = caller("manager"), caller("agent")
    record.call(manager, "GET", "/api/v1/incidents", "/incidents", page_size=2)
    made = record.call(manager, "POST", "/api/v1/incidents", "/incidents", body={
        "employee": number, "occurred_on": "2026-09-18", "polarity": "positive",
        "what": "主动整理了退费政策的常见问题，已被全组采用。", "kind": "suggestion",
    })  # fmt: skip
    path = f"/api/v1/incidents/{made['id']}"
    record.call(manager, "GET", path, "/incidents/{incident_id}")
    record.call(manager, "PATCH", path, "/incidents/{incident_id}",
                body={"what": "主动整理了退费政策的常见问题清单，已被全组采用。"})  # fmt: skip
    record.call(agent, "POST", f"{path}/response", "/incidents/{incident_id}/response",
                body={"response": "清单每月更新一次，欢迎大家补充。"})  # fmt: skip
    extra = manager.post("/api/v1/incidents", {
        "employee": number, "occurred_on": "2026-09-19", "polarity": "negative", "what": "重复记录",
    }, content_type="application/json").json()  # fmt: skip
    record.call(manager, "DELETE", f"/api/v1/incidents/{extra['id']}", "/incidents/{incident_id}")
    record.call(manager, "GET", "/api/v1/one-on-ones", "/one-on-ones", page_size=2)
    held = record.call(manager, "POST", "/api/v1/one-on-ones", "/one-on-ones", body={
        "employee": number, "month": "2026-10", "went_well": "投诉处理及时，客户评价好。",
        "to_improve": "话后处理时间偏长。", "actions": "使用快捷回复模板，月底前缩短到60秒内。",
        "incidents": [made["id"]],
    })  # fmt: skip
    record.call(agent, "GET", f"/api/v1/one-on-ones/{held['id']}", "/one-on-ones/{one_on_one_id}")


def record_an_action(record: Recorder, caller: Any, cycle_id: int) -> None:
    """A manager sends an appraisal of their team for confirmation, with its targets."""
    from kaohe.appraisals.models import Appraisal

    manager = caller("manager")
    for appraisal in Appraisal.objects.filter(cycle_id=cycle_id, state="draft"):
        actions = manager.get(f"/api/v1/appraisals/{appraisal.pk}/actions")
        if actions.status_code == 200 and "send_for_confirmation" in {
            a["name"] for a in actions.json()
        }:
            record.call(manager, "GET", f"/api/v1/appraisals/{appraisal.pk}/actions",
                        "/appraisals/{appraisal_id}/actions")  # fmt: skip
            record.call(
                manager, "POST",
                f"/api/v1/appraisals/{appraisal.pk}/actions/send_for_confirmation",
                "/appraisals/{appraisal_id}/actions/{action}", body={"targets": {}},
            )  # fmt: skip
            return
    raise SystemExit("no draft appraisal the demo's manager may send for confirmation")


def record_goals(record: Recorder, caller: Any) -> None:
    """The demo's goals: the agent's list, a new goal set, published and checked in on; the
    director's first goal as a tree."""
    from kaohe.goals.demo import demo_goals
    from kaohe.goals.models import Objective

    demo_goals()
    agent, director = caller("agent"), caller("director")
    record.call(agent, "GET", "/api/v1/goals", "/goals", period="2026-Q3")
    team = Objective.objects.get(level="team", department__path="企服部/客服中心/客服一组")
    made = record.call(agent, "POST", "/api/v1/goals", "/goals", body={
        "title": "十月：投诉回访满意度提升", "period": "2026-10", "parent": None,
        "key_results": [{"title": "回访满意度", "start": 85, "target": 92, "unit": "%"}],
    })  # fmt: skip
    base = f"/api/v1/goals/{made['id']}"
    record.call(agent, "GET", base, "/goals/{goal_id}")
    record.call(agent, "PATCH", base, "/goals/{goal_id}", body={
        "status": "active", "key_results": [{"title": "话术考核通过", "kind": "milestone"}],
    })  # fmt: skip
    key = made["key_results"][0]["id"]
    record.call(agent, "POST", f"{base}/check-ins", "/goals/{goal_id}/check-ins", body={
        "on": "2026-10-09", "key_result": key, "value": 88, "confidence": "on_track",
        "note": "第一周回访 40 位客户",
    })  # fmt: skip
    record.call(director, "GET", f"/api/v1/goals/{team.parent_id}/tree", "/goals/{goal_id}/tree")


def record_points(record: Recorder, caller: Any) -> None:
    """The demo's points and badges: the agent's board, points and badges; HR's rules, a
    badge of its own (made, changed, deleted) and a run; the lead's board; initials."""
    from kaohe.org.models import Employee
    from kaohe.points.demo import demo_points

    demo_points()
    agent, hr, manager = caller("agent"), caller("hr"), caller("manager")
    record.call(agent, "GET", "/api/v1/points/leaderboards", "/points/leaderboards",
                period="2026-09")  # fmt: skip
    record.call(agent, "GET", "/api/v1/points/mine", "/points/mine", period="2026-Q3")
    record.call(agent, "GET", "/api/v1/points/badges", "/points/badges")
    record.call(agent, "GET", "/api/v1/points/badges/fcr-ace", "/points/badges/{code}")
    record.call(agent, "GET", "/api/v1/points/awards", "/points/awards", badge="fcr-ace")
    record.call(agent, "GET", "/api/v1/points/rules", "/points/rules")
    record.call(hr, "PUT", "/api/v1/points/rules/goal_completed", "/points/rules/{kind}",
                body={"points": 20, "active": True})  # fmt: skip
    badge = {
        "code": "qa-champion", "name_zh": "质检标兵", "name_en": "QA Champion",
        "metric": "qa_pass_rate", "comparison": "at_least", "threshold": 95,
        "period_kind": "quarter", "min_volume": 10,
    }  # fmt: skip
    record.call(hr, "POST", "/api/v1/points/badges", "/points/badges", body=badge)
    record.call(hr, "PUT", "/api/v1/points/badges/qa-champion", "/points/badges/{code}",
                body={**badge, "threshold": 96})  # fmt: skip
    record.call(hr, "DELETE", "/api/v1/points/badges/qa-champion?confirm=true",
                "/points/badges/{code}")  # fmt: skip
    record.call(hr, "POST", "/api/v1/points/runs", "/points/runs", body={"period": "2026-09"})
    record.call(hr, "DELETE", "/api/v1/points/rules/goal_completed?confirm=true",
                "/points/rules/{kind}")  # fmt: skip
    team = Employee.objects.get(user__username="agent").department_id
    record.call(manager, "PUT", f"/api/v1/points/boards/{team}", "/points/boards/{department_id}",
                body={"off": False})  # fmt: skip
    record.call(agent, "PUT", "/api/v1/points/display", "/points/display",
                body={"initials": True})  # fmt: skip


def record_dashboards(record: Recorder, caller: Any) -> None:
    """The three dashboards, each read by the person it is for."""
    record.call(caller("exec"), "GET", "/api/v1/dashboards/leaders", "/dashboards/leaders")
    record.call(caller("manager"), "GET", "/api/v1/dashboards/team", "/dashboards/team")
    record.call(caller("agent"), "GET", "/api/v1/dashboards/mine", "/dashboards/mine")


def record_attrition(record: Recorder, caller: Any) -> None:
    """The attrition model (trained on the demo's history), read by HR and the executive
    viewer; a training asked for; and, last, someone deactivated with a leaving reason."""
    from kaohe.insights.demo_attrition import demo_attrition
    from kaohe.insights.models import AttritionModel
    from kaohe.org.models import Employee

    demo_attrition()
    hr, executive = caller("hr"), caller("exec")
    shown = AttritionModel.objects.shown()
    assert shown is not None
    record.call(hr, "GET", "/api/v1/insights/attrition/models", "/insights/attrition/models")
    record.call(hr, "GET", f"/api/v1/insights/attrition/models/{shown.pk}",
                "/insights/attrition/models/{model_id}")  # fmt: skip
    listed = record.call(executive, "GET", "/api/v1/insights/attrition/scores",
                         "/insights/attrition/scores", page_size=2)  # fmt: skip
    number = listed["results"][0]["number"]
    record.call(executive, "GET", f"/api/v1/insights/attrition/scores/{number}",
                "/insights/attrition/scores/{number}")  # fmt: skip
    record.call(hr, "POST", "/api/v1/insights/attrition/models", "/insights/attrition/models",
                body={"horizon_months": 3, "left_out": []})  # fmt: skip
    leaver = Employee.objects.filter(active=True, user__username__startswith="qf").last()
    assert leaver is not None
    record.call(hr, "POST", f"/api/v1/employees/{leaver.number}/deactivation",
                "/employees/{number}/deactivation",
                body={"leaving_reason": "resigned", "leaving_date": "2026-09-30",
                      "note": "本人提出离职"})  # fmt: skip


def record_sentiment(record: Recorder, caller: Any) -> None:
    """The calls QA picks, as the team lead reads them: their team's calls of the demo's
    last month whose customer ended negative, the lowest point first."""
    record.call(caller("manager"), "GET", "/api/v1/insights/sentiment/calls",
                "/insights/sentiment/calls", page_size=2)  # fmt: skip


if __name__ == "__main__":
    main()
