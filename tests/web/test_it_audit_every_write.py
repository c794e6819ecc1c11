"""Every write leaves an audit row — who, on what, before and after — and /audit/ reads it
out in words, in Chinese and in English.

The workflow's actions are taken from the workflow table itself: an action added to the
table without a way here to take it, an audit row or a label fails these tests.
"""

import html
import re
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from kaohe.appraisals.models import Appraisal, Cycle, CycleScheme
from kaohe.appraisals.workflow import ACTIONS, State, target_of
from kaohe.audit.models import AuditEntry
from kaohe.cli import cli
from kaohe.data.actions import do_import_data, do_set_calendar_day
from kaohe.org.models import AccessGrant, Employee
from kaohe.schemes.library import import_builtin_schemes
from kaohe.schemes.models import SchemeVersion

from .factory import store_metrics_for_everyone
from .test_it_appraisals import PERIOD, metrics_for, ratings_for
from .test_it_data import CALLS
from .test_it_org_import import GOOD_ZH
from .test_it_people import person_form
from .workflow import act, appraisal_of, launched_cycle, new_cycle

CJK = re.compile(r"[\u4e00-\u9fff]")
FIELD = re.compile(r"[a-z_]+")  # a recorded field's name, as opposed to data (a name, a number)
PREFIXED = re.compile(r"[a-z_]+\.")  # value.<input>, scheme.<position>
ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
LANGS = ("zh-hans", "en")


# --- reading /audit/ ---------------------------------------------------------------------


@dataclass
class Row:
    code: str
    action: str
    who: str
    kind: str
    target: str
    changes: list[tuple[str, str, str]]
    note: str


def _text(fragment):
    return html.unescape(re.sub(r"<[^>]+>", "", fragment)).strip()


def audit_rows(client, lang, **filters):
    client.cookies["django_language"] = lang
    response = client.get(reverse("audit-log"), filters)
    assert response.status_code == 200
    body = response.content.decode().split('data-testid="audit">', 1)[1].split("</tbody>")[0]
    rows = []
    for row in re.findall(r"<tr>\s*(<td class=\"nowrap\">.*?)</tr>", body, flags=re.S):
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        code = re.search(r'data-code="([^"]*)"', row)[1]
        kind, _br, target = cells[3].partition("<br>")
        changes = [
            (_text(field), *(_text(v) for v in shown.split(" → ", 1)))
            for field, shown in re.findall(
                r'<div><span class="muted">(.*?)(?:：|: )</span>(.*?)</div>', cells[4], flags=re.S
            )
        ]
        note = re.search(r'<div class="muted">(.*?)</div>', cells[4], flags=re.S)
        rows.append(Row(code, _text(cells[2]), _text(cells[1]), _text(kind), _text(target),
                        changes, _text(note[1]) if note else ""))  # fmt: skip
    return rows


YES_NO = {"zh-hans": {True: "是", False: "否"}, "en": {True: "yes", False: "no"}}


def shown_in(client, entry, lang):
    """The entry's row on /audit/, filtered to its action and checked to read as words."""
    rows = [
        r for r in audit_rows(client, lang, action=entry.action) if r.target == entry.target_repr
    ]
    assert rows, entry.action
    row, chinese = rows[0], lang.startswith("zh")
    # The operator at the shell is worded for the reader; everyone else is named.
    operator = {"zh-hans": "运维人员（命令行）", "en": "the operator (command line)"}[lang]
    assert (row.code, row.who) == (
        entry.action,
        operator if entry.actor_name == "system" else entry.actor_name,
    )
    assert_words(row.action, chinese, code=entry.action)
    if entry.target_type:
        assert_words(row.kind, chinese, code=entry.target_type)
    recorded = entry.changes()
    assert len(row.changes) == len(recorded)
    for (name, *values), (label, *shown) in zip(recorded, row.changes, strict=True):
        if FIELD.fullmatch(name) or PREFIXED.match(name):  # a field, not data named by it
            assert_words(label.split(" · ")[0], chinese, code=name.split(".")[0])
        for value, text in zip(values, shown, strict=True):
            assert_readable(name, value, text, lang)
    return row


def assert_words(text, chinese, *, code):
    """Words in the reader's language, not the code they stand for."""
    assert text, code
    assert text != code, code
    assert "_" not in text, text
    assert bool(CJK.search(text)) is chinese, text


def assert_readable(name, value, text, lang):
    assert not re.search(r"\b(True|False|None)\b", text), (name, text)
    if isinstance(value, bool):
        assert text == YES_NO[lang][value], (name, text)
    if name == "state":
        assert_words(text, lang.startswith("zh"), code=value)
    if isinstance(value, str) and ISO_MOMENT.match(value) and name != "name":
        local = timezone.localtime(datetime.fromisoformat(value))  # in the organisation's time
        assert text == local.strftime("%Y-%m-%d %H:%M"), (name, text)


def read_out(client_for, entry):
    """The entry as whole-organisation HR reads it, in Chinese and in English."""
    client = client_for("alice")
    return {lang: shown_in(client, entry, lang) for lang in LANGS}


def change_of(row, label):
    return next(change[1:] for change in row.changes if change[0] == label)


def only(action):
    return AuditEntry.objects.get(action=action)


# --- the workflow, action by action ------------------------------------------------------

# Who takes each action on ann's appraisal, with which form fields.
STEPS = {
    "send_for_confirmation": ("mike", lambda a: {"target_fcr": "≥ 85%"}),
    "confirm": ("ann", lambda a: {}),
    "ask_for_change": ("ann", lambda a: {"reason": "FCR 目标太高"}),
    "open_assessment": ("mike", lambda a: {}),
    "submit_self_assessment": ("ann", lambda a: {**ratings_for(a, "5"), "comment": "尽力了"}),
    "submit_review": ("mike", lambda a: {**ratings_for(a, "4"), "comment": "稳定"}),
    "calibrate": ("alice", lambda a: {"adjustment": "1.5", "reason": "跨组校准"}),
    "record_interview": (
        "mike",
        lambda a: {
            "strengths": "耐心",
            "improvements": "速度",
            "root_cause": "skills",
            "actions": "培训",
        },
    ),
    "acknowledge": ("ann", lambda a: {"comment": "同意"}),
    "finalise": ("alice", lambda a: {}),
    "appeal": ("ann", lambda a: {"reason": "质检样本过少"}),
    "uphold": ("alice", lambda a: {"reason": "复核无误"}),
    "adjust": ("alice", lambda a: {"adjustment": "2", "reason": "复核后加分"}),
    "close": ("alice", lambda a: {}),
}
# What each action records besides the state.
RECORDED = {
    "send_for_confirmation": {"targets"},
    "confirm": set(),
    "ask_for_change": set(),
    "open_assessment": set(),
    "submit_self_assessment": {"self_ratings", "comment"},
    "submit_review": {"ratings", "comment", "data_cutoff", "values"},
    "calibrate": {"calibration", "total", "grade"},
    "record_interview": {"strengths", "improvements", "actions", "root_cause"},
    "acknowledge": {"comment"},
    "finalise": {"result", "total", "grade", "coefficient", "pay", "appeal_until"},
    "appeal": {"appeal"},
    "uphold": {"decision"},
    "adjust": {"result", "total", "grade", "coefficient", "pay"},
    "close": set(),
}
# The way through the states, for reaching the state an action starts from.
PATH = [
    "send_for_confirmation", "confirm", "open_assessment", "submit_self_assessment",
    "submit_review", "calibrate", "record_interview", "acknowledge", "finalise", "appeal",
]  # fmt: skip


def test_the_tables_cover_every_action():
    assert set(STEPS) == set(RECORDED) == set(ACTIONS)
    assert set(PATH) <= set(ACTIONS)


def take(org, appraisal, name):
    key, form = STEPS[name]
    return act(org.users[key], appraisal.pk, name, form(appraisal))


def walk_to(org, appraisal, state):
    while (current := Appraisal.objects.get(pk=appraisal.pk).current_state) is not state:
        step = next((n for n in PATH if ACTIONS[n].source is current), None)
        assert step is not None, f"nothing in PATH leads on from {current}"
        take(org, appraisal, step)


@pytest.fixture
def cycle(org):
    return launched_cycle(org, period=PERIOD)


@pytest.mark.parametrize("name", list(ACTIONS))
def test_every_workflow_action_is_audited_and_read_out(cycle, org, client_for, name):
    ann = appraisal_of(cycle, org, "ann")
    metrics_for(ann)
    action = ACTIONS[name]
    walk_to(org, ann, action.source)
    if name == "close":
        Appraisal.objects.filter(pk=ann.pk).update(appeal_until="2000-01-01T00:00:00Z")
    take(org, ann, name)
    entry = AuditEntry.objects.filter(action=f"appraisal.{name}").get()
    target = target_of(action, ann.version.scheme().stages)
    assert entry.actor == org.users[STEPS[name][0]]
    assert (entry.target_type, entry.target_id) == ("appraisals.appraisal", str(ann.pk))
    assert "安妮" in entry.target_repr
    assert entry.before["state"] == str(action.source)
    assert entry.after["state"] == str(target)
    assert set(entry.after) == {"state"} | RECORDED[name]
    if action.reason_required or name == "calibrate":
        assert entry.note == STEPS[name][1](ann)["reason"]
    rows = read_out(client_for, entry)
    if name == "record_interview":
        assert change_of(rows["zh-hans"], "根本原因") == ("—", "技能")
        assert change_of(rows["en"], "Root cause") == ("—", "Skills")
    if name == "uphold":
        assert change_of(rows["zh-hans"], "裁定") == ("—", "维持原结果")
        assert change_of(rows["en"], "Decision") == ("—", "Upheld")
    if name == "calibrate":
        assert change_of(rows["en"], "Calibration (points)") == ("0", "1.5")  # as people read it


# --- every other write -------------------------------------------------------------------


def test_adding_changing_deactivating_and_reactivating_a_person(client_for, org):
    hr = client_for("alice")
    hr.post(reverse("person-new"), person_form(org))
    new = Employee.objects.get(number="N100")
    created = only("employee.create")
    assert (created.actor, created.target_id, created.before) == (
        org.users["alice"],
        str(new.pk),
        None,
    )
    assert created.after["username"] == "newbie"
    assert created.after["active"] is True
    rows = read_out(client_for, created)
    assert change_of(rows["zh-hans"], "在职") == ("—", "是")
    assert change_of(rows["en"], "Manager") == ("—", "M001")
    hr.post(reverse("person-edit", args=["N100"]), person_form(org, name="新人甲"))
    updated = only("employee.update")
    assert (updated.before["name"], updated.after["name"]) == ("新人", "新人甲")
    assert change_of(read_out(client_for, updated)["zh-hans"], "姓名") == ("新人", "新人甲")
    hr.post(
        reverse("person-deactivate", args=["N100"]),
        {
            "leaving_reason": "resigned",
            "leaving_date": "2026-11-30",
            "reason": "离职",
            "confirm": "yes",
        },
    )
    off = only("employee.deactivate")
    assert (off.before["active"], off.after["active"], off.note) == (True, False, "离职")
    rows = read_out(client_for, off)
    assert change_of(rows["zh-hans"], "在职") == ("是", "否")
    assert change_of(rows["en"], "Active") == ("yes", "no")
    assert rows["zh-hans"].note == "离职"
    hr.post(reverse("person-reactivate", args=["N100"]))
    on = only("employee.reactivate")
    assert (on.before["active"], on.after["active"]) == (False, True)
    assert change_of(read_out(client_for, on)["en"], "Active") == ("no", "yes")


def test_a_person_s_page_reads_their_history_in_words(client_for, org):
    hr = client_for("alice")
    hr.post(
        reverse("person-deactivate", args=["A001"]),
        {
            "leaving_reason": "resigned",
            "leaving_date": "2026-11-30",
            "reason": "离职",
            "confirm": "yes",
        },
    )
    page = hr.get(reverse("person", args=["A001"])).content.decode()
    assert '<span data-code="employee.deactivate">停用人员</span>' in page
    assert "<div>在职：是 → 否</div>" in page
    hr.cookies["django_language"] = "en"
    page = hr.get(reverse("person", args=["A001"])).content.decode()
    assert '<span data-code="employee.deactivate">Person deactivated</span>' in page
    assert "<div>Active: yes → no</div>" in page


def test_a_value_that_merely_looks_like_a_moment_is_shown_as_it_is(client_for, org):
    client_for("alice").post(reverse("person-new"), person_form(org, name="2026-13-01T09:00"))
    entry = only("employee.create")
    assert change_of(read_out(client_for, entry)["en"], "Name") == ("—", "2026-13-01T09:00")


def test_a_temporary_password_and_a_retired_account(
    client_for, org, django_capture_on_commit_callbacks
):
    hr = client_for("alice")
    hr.post(reverse("person-password", args=["A001"]))
    entry = only("account.temporary_password")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        org.users["alice"], "org.employee", str(org.people["ann"].pk),
    )  # fmt: skip
    assert (entry.before, entry.after) == (None, None)  # never the password
    assert read_out(client_for, entry)["zh-hans"].action == "设置临时密码"
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("person-edit", args=["A001"]),
                person_form(org, number="A001", name="安妮", username="nobody"))  # fmt: skip
    retired = only("account.retire")
    assert (retired.target_type, retired.target_id) == ("auth.user", str(org.users["ann"].pk))
    rows = read_out(client_for, retired)
    assert change_of(rows["zh-hans"], "在职") == ("是", "否")
    assert rows["en"].kind == "Account"


def test_the_organisation_import(client_for, org):
    hr = client_for("alice")
    hr.post(reverse("org-import"), {"file": SimpleUploadedFile("org.csv", GOOD_ZH.encode())})
    hr.post(reverse("org-import-apply"))
    entry = only("org.import")
    assert entry.actor == org.users["alice"]
    assert entry.after["file"] == "org.csv"
    assert entry.after["created"] == 2
    assert AuditEntry.objects.filter(action="employee.create").count() == 2
    rows = read_out(client_for, entry)
    assert change_of(rows["zh-hans"], "新增") == ("—", "2")
    assert change_of(rows["en"], "New departments") == ("—", "2")


def test_granting_and_revoking_a_role_at_the_command_line(client_for, org):
    runner = CliRunner()
    granted = runner.invoke(
        cli, ["access", "grant", "nobody", "hr_admin", "--department", "企服部/客服中心"]
    )
    assert granted.exit_code == 0, granted.output
    entry = only("access.grant")
    assert (entry.actor, entry.actor_name, entry.target_type) == (None, "system", "auth.user")
    assert entry.after == {"role": "hr_admin", "scope": ["企服部/客服中心"]}
    rows = read_out(client_for, entry)
    assert change_of(rows["zh-hans"], "角色") == ("—", "HR 管理员") or CJK.search(
        change_of(rows["zh-hans"], "角色")[1]
    )
    assert change_of(rows["en"], "Role") == ("—", "HR admin")
    revoked = runner.invoke(cli, ["access", "revoke", "nobody", "hr_admin"])
    assert revoked.exit_code == 0, revoked.output
    assert not AccessGrant.objects.filter(user=org.users["nobody"]).exists()
    entry = only("access.revoke")
    assert entry.before == {"role": "hr_admin", "scope": ["企服部/客服中心"]}
    assert entry.after is None
    assert change_of(read_out(client_for, entry)["en"], "Role") == ("HR admin", "—")


def test_a_data_import_and_a_calendar_day(client_for, org, settings, tmp_path):
    settings.HOME = tmp_path
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8")
    batch = do_import_data(org.users["alice"], "calls", calls, "calls.csv")
    entry = only("data.import")
    assert (entry.actor, entry.target_type, entry.target_id) == (
        org.users["alice"], "data.databatch", str(batch.pk),
    )  # fmt: skip
    assert (entry.after["file"], entry.after["new"]) == ("calls.csv", 2)
    assert change_of(read_out(client_for, entry)["en"], "New") == ("—", "2")
    do_set_calendar_day(org.users["alice"], date(2026, 9, 12), True, "公司调休")
    day = only("calendar.set")
    assert day.after == {"day": "2026-09-12", "workday": True, "note": "公司调休"}
    rows = read_out(client_for, day)
    assert change_of(rows["zh-hans"], "工作日") == ("—", "是")
    assert change_of(rows["en"], "Working day") == ("—", "yes")


def test_the_scheme_library(client_for, org):
    import_builtin_schemes()
    hr = client_for("alice")
    agent = SchemeVersion.objects.get(code="cs-agent")
    hr.post(reverse("scheme-clone", args=[agent.pk]), {"code": "cs-agent-hq"})
    clone = SchemeVersion.objects.get(code="cs-agent-hq")
    cloned = only("scheme.clone")
    assert (cloned.target_id, cloned.after) == (
        str(clone.pk),
        {"from": "cs-agent v1", "version": "cs-agent-hq v1"},
    )
    assert change_of(read_out(client_for, cloned)["zh-hans"], "复制自") == ("—", "cs-agent v1")
    text = clone.text.replace("weight: 60", "weight: 55").replace("weight: 20", "weight: 25", 1)
    hr.post(reverse("scheme-edit", args=[clone.pk]), {"text": text})
    saved = only("scheme.save")
    assert saved.before["dimensions"] != saved.after["dimensions"]
    read_out(client_for, saved)
    position = org.people["ann"].position
    hr.post(reverse("scheme-defaults"), {f"position_{position.pk}": "cs-agent-hq"})
    default = only("scheme.default")
    assert (default.target_type, default.before, default.after) == (
        "org.position", {"scheme": "cs-agent"}, {"scheme": "cs-agent-hq"},
    )  # fmt: skip
    assert read_out(client_for, default)["zh-hans"].kind == "岗位"


def test_a_cycle_from_creation_to_reminders(client_for, org, django_capture_on_commit_callbacks):
    import_builtin_schemes()
    hr = client_for("alice")
    response = hr.post(reverse("cycle-new"), {
        "name": "2026 Q4", "period": "2026-Q4", "departments": [org.departments["企服部"].pk],
        "appeal_days": 7, "deadline_draft": "2026-01-05", "deadline_calibration": "2027-01-20",
    })  # fmt: skip
    cycle = Cycle.objects.get(name="2026 Q4")
    assert response["Location"] == reverse("cycle", args=[cycle.pk])
    created = only("cycle.create")
    assert (created.actor, created.target_id) == (org.users["alice"], str(cycle.pk))
    assert created.after["deadlines"] == {"draft": "2026-01-05", "calibration": "2027-01-20"}
    rows = read_out(client_for, created)
    assert "校准：2027-01-20" in change_of(rows["zh-hans"], "截止日期")[1]
    assert "Calibration: 2027-01-20" in change_of(rows["en"], "Deadlines")[1]
    form = {f"version_{s.pk}": s.version_id for s in CycleScheme.objects.filter(cycle=cycle)}
    setting = CycleScheme.objects.get(cycle=cycle, position=org.people["ann"].position)
    hr.post(reverse("cycle", args=[cycle.pk]), {**form, f"pay_{setting.pk}": "5000"})
    changed = only("cycle.settings")
    assert changed.before == {"客服专员": "cs-agent v1"}
    assert changed.after == {"客服专员": "cs-agent v1 · 5000.00"}
    read_out(client_for, changed)
    pay = SimpleUploadedFile("pay.csv", "工号,绩效基数\nA001,6000\n".encode())
    hr.post(reverse("cycle-base-pay", args=[cycle.pk]), {"file": pay})
    imported = only("cycle.base_pay")
    assert (imported.before, imported.after, imported.note) == (
        {"A001": None},
        {"A001": "6000.00"},
        "pay.csv",
    )
    read_out(client_for, imported)
    with django_capture_on_commit_callbacks(execute=True):
        hr.post(reverse("cycle-launch", args=[cycle.pk]))
    launched = only("cycle.launch")
    assert launched.target_id == str(cycle.pk)
    assert launched.after["cycle_name"] == "2026 Q4"
    read_out(client_for, launched)
    hr.post(reverse("cycle-remind", args=[cycle.pk]))  # every draft is past its deadline
    reminded = only("cycle.remind")
    assert set(reminded.after) == {"麦克", "莉娜", "朵拉", "伊芙"}
    rows = read_out(client_for, reminded)
    assert "草稿" in change_of(rows["zh-hans"], "麦克")[1]
    assert "Draft" in change_of(rows["en"], "麦克")[1]
    assert "2" in change_of(rows["en"], "麦克")[1]  # ann's and amy's


def test_refreshing_frozen_data(client_for, org):
    cycle = launched_cycle(org, period=PERIOD)
    ann = appraisal_of(cycle, org, "ann")
    store_metrics_for_everyone(PERIOD, 80.0)
    walk_to(org, ann, State.CALIBRATION)
    store_metrics_for_everyone(PERIOD, 62.0)
    client_for("alice").post(reverse("appraisal-refresh-data", args=[ann.pk]), {"reason": "更正"})
    entry = only("appraisal.refresh_data")
    assert entry.before["value.csat_rate"] == "80.0"
    assert entry.after["value.csat_rate"] == "62.0"
    rows = read_out(client_for, entry)
    assert change_of(rows["en"], "Value · csat_rate") == ("80", "62")  # as people read it
    assert rows["zh-hans"].note == "更正"


# --- the filters -------------------------------------------------------------------------


def test_the_filters_by_who_what_kind_and_when(client_for, org):
    client_for("harry").post(
        reverse("person-new"), person_form(org, number="N101", username="n101")
    )
    hr = client_for("alice")  # the same test client, signed in again
    hr.post(reverse("person-new"), person_form(org))
    hr.post(
        reverse("person-deactivate", args=["N100"]),
        {
            "leaving_reason": "resigned",
            "leaving_date": "2026-11-30",
            "reason": "离职",
            "confirm": "yes",
        },
    )
    cycle = new_cycle(org.users["alice"], name="Q4", period="2026-Q4",
                      departments=[org.departments["企服部"]])  # fmt: skip
    # Moved back in time: 00:30 in Shanghai on 10 January is 16:30 UTC on the 9th.
    shanghai_half_past_midnight = timezone.make_aware(datetime(2026, 1, 10, 0, 30))
    AuditEntry.objects.filter(action="employee.deactivate").update(at=shanghai_half_past_midnight)

    def codes(**filters):
        return sorted(r.code for r in audit_rows(hr, "zh-hans", **filters))

    assert codes(who="哈利") == ["employee.create"]
    assert codes(who="harry") == ["employee.create"]  # by sign-in name too
    assert codes(who="爱丽丝") == ["cycle.create", "employee.create", "employee.deactivate"]
    assert codes(kind="appraisals.cycle") == ["cycle.create"]
    assert codes(kind="org.employee") == [
        "employee.create",
        "employee.create",
        "employee.deactivate",
    ]
    assert codes(action="employee.deactivate") == ["employee.deactivate"]
    assert codes(since="2026-01-10", until="2026-01-10") == ["employee.deactivate"]
    assert codes(until="2026-01-09") == []
    assert "employee.deactivate" not in codes(since="2026-01-11")
    assert codes(who="爱丽丝", kind="org.employee", action="employee.create") == ["employee.create"]
    assert cycle.pk
    # The filter lists name actions and kinds in words.
    hr.cookies["django_language"] = "en"
    page = hr.get(reverse("audit-log")).content.decode()
    assert '<option value="employee.deactivate">Person deactivated</option>' in page
    assert '<option value="appraisals.cycle">Cycle</option>' in page


def test_points_rules_badges_boards_and_the_award_runs(client_for, org):
    from kaohe.points.actions import (
        BadgeInput,
        award_badges,
        do_choose_initials,
        do_delete_badge,
        do_save_badge,
        do_save_rule,
        do_set_board,
    )  # fmt: skip

    from .points_data import csat, store

    alice = org.users["alice"]
    do_save_rule(alice, "badge", 15)
    rows = read_out(client_for, only("points.rule"))
    assert change_of(rows["zh-hans"], "获得方式") == ("—", "获得徽章")
    assert change_of(rows["en"], "Points") == ("—", "15")
    badge = do_save_badge(alice, BadgeInput(
        code="qa-champion", name_zh="质检标兵", name_en="QA Champion", metric="qa_pass_rate",
        comparison="at_least", threshold=95, period_kind="quarter",
    ))  # fmt: skip
    rows = read_out(client_for, only("points.badge"))
    assert change_of(rows["zh-hans"], "比较方式") == ("—", "不低于")
    assert change_of(rows["en"], "Judged per") == ("—", "Quarterly")
    assert change_of(rows["zh-hans"], "启用") == ("—", "是")
    do_delete_badge(alice, badge.pk, confirmed=True)
    read_out(client_for, only("points.badge_delete"))
    do_set_board(org.users["mike"], org.departments["企服部/客服中心/客服一组"].pk, True)
    rows = read_out(client_for, only("points.board"))
    assert change_of(rows["zh-hans"], "排行榜已关闭") == ("否", "是")
    do_choose_initials(org.users["ann"], True)
    assert change_of(read_out(client_for, only("points.initials"))["en"], "Shown by initials") == (
        "no", "yes",
    )  # fmt: skip
    store("2026-05", {"A001": csat(4.8), "A002": csat(4.5)})
    award_badges(None, "2026-05")
    rows = read_out(client_for, only("points.award_badges"))
    assert change_of(rows["zh-hans"], "授予") == ("—", "A001")


def test_only_whole_organisation_hr_reads_the_log(client_for, org):
    for key in ("harry", "eve", "mike", "ann", "nobody"):
        assert client_for(key).get(reverse("audit-log")).status_code == 403


def test_the_scheme_form_saves_through_the_audited_action(client_for, org):
    import_builtin_schemes()
    hr = client_for("alice")
    agent = SchemeVersion.objects.get(code="cs-agent")
    fields = {"text": agent.text, "f/dimensions/0/weight": "55", "f/dimensions/1/weight": "25"}
    hr.post(reverse("scheme-form", args=[agent.pk]), fields)
    saved = only("scheme.save")
    assert (saved.actor, saved.before["version"], saved.after["version"]) == (
        org.users["alice"], "cs-agent v1", "cs-agent v2",
    )  # fmt: skip
    assert saved.after["dimensions"]["performance"].startswith("55%")
    read_out(client_for, saved)
