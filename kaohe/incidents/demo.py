"""The demo's critical-incident log and 1:1s: through the quarters the team leads record
what their people did — many adopted suggestions and extra tasks, some commendations, a
few process violations and one confidentiality breach — and the people answer some of the
negative ones; each lead holds a monthly 1:1 with most of their reports. All through the
real actions, from a seeded random generator, so that every demo is the same."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, timedelta

from django.utils import timezone, translation

from kaohe.metrics import parse_period
from kaohe.org.models import Employee

from .actions import (
    IncidentInput,
    OneOnOneInput,
    do_record_incident,
    do_respond,
    do_save_one_on_one,
)
from .models import Incident

# What the leads write, by kind.
SAID = {
    "suggestion": [
        "提出的“常见问题快捷回复”模板被全组采用，平均处理时长缩短约20秒。",
        "建议在工单系统增加退款进度字段，已被产品组采纳上线。",
        "梳理夜班交接清单的建议被采纳，交接遗漏明显减少。",
        "提出投诉升级前先回拨一次的做法，被纳入班组流程。",
    ],
    "extra_task": [
        "主动承担新人带教，带出的两名新人均按期通过上岗考核。",
        "大促期间主动加班支援二组的电话高峰。",
        "主动整理知识库中过期的政策条目共40余条。",
        "临时顶替请假同事负责VIP客户回访。",
    ],
    "commendation": [
        "客户来信表扬：耐心解释账单问题，一次解决。",
        "因妥善处理一起群体投诉，获部门通报表扬。",
        "客户在满意度回访中点名表扬其专业和耐心。",
    ],
    "violation": [
        "未按流程核实身份即修改客户联系电话。",
        "工单关闭前未回访客户确认，被质检抽中。",
        "连续两次未按规定时间提交日报。",
    ],
    "confidentiality": ["在工作群中转发含客户手机号的截图，未做脱敏处理。"],
}
EVIDENCE = {
    ("positive", "collaboration"): "主动协调技术支持解决跨部门工单，客户当天得到答复。",
    ("positive", "professional_skill"): "独立处理复杂的合同变更咨询，回答准确完整。",
    ("negative", "collaboration"): "与同事交接时信息不全，导致客户重复说明问题。",
    ("negative", "professional_skill"): "对新上线的退费政策理解有误，答复客户需二次更正。",
}
RESPONSES = [
    "当时客户情绪激动，我已在事后补做了核实，今后严格按流程执行。",
    "承认疏忽，已参加保密培训并清理了相关记录。",
    "我补充一下背景：系统当时故障，无法完成回访，已在次日补上。",
]


def demo_incidents(periods: Iterable[str] = ("2026-Q2", "2026-Q3"), seed: int = 12) -> int:
    """Log the demo's incidents and 1:1s for the people below each team lead, over the
    months of these periods (the demo's history and open cycles); the incidents logged.

    Needs the demo organisation (``kaohe.demo.load_demo``: each lead and person has an
    account) and the built-in schemes in the library, which tie a counted kind to the
    indicator counting it. Call it BEFORE the cycles are walked through the managers'
    reviews — before ``launch_history_cycle`` and ``launch_demo_cycle`` — because the
    review freezes the counts of suggestions, extra tasks and violations: incidents logged
    later change no score until HR refreshes the data. Nothing is done (0) when the log
    holds incidents already. Dates after today are left out.
    """
    if Incident.objects.exists():
        return 0
    rng = random.Random(seed)
    today = timezone.localdate()
    made = 0
    with translation.override("zh-hans"):
        for period in periods:
            parsed = parse_period(period)
            first, last = parsed.first_day, min(parsed.last_day, today)
            if first > last:
                continue
            for person in _people_below_leads():
                made += _log_for(person, first, last, rng)
            _hold_one_on_ones(first, last, rng)
    return made


def _people_below_leads() -> list[Employee]:
    """Everyone whose manager manages a team (has a manager and reports of their own)."""
    return list(
        Employee.objects.filter(
            active=True, manager__manager__isnull=False, manager__user__isnull=False
        )
        .exclude(direct_reports__isnull=False)
        .select_related("manager__user", "user", "position")
        .distinct()
        .order_by("number")
    )


def _log_for(person: Employee, first: date, last: date, rng: random.Random) -> int:
    lead = person.manager.user  # type: ignore[union-attr]
    wanted: list[tuple[str, str, str]] = []  # (polarity, kind, indicator or "")
    wanted += [("positive", "suggestion", "")] * _some(rng, (0, 1, 1, 2, 2, 3))
    wanted += [("positive", "extra_task", "")] * _some(rng, (0, 0, 1, 1, 2))
    wanted += [("positive", "commendation", "")] * _some(rng, (0, 0, 0, 1))
    wanted += [("negative", "violation", "")] * _some(rng, (0,) * 8 + (1, 1, 2))
    if rng.random() < 0.03:
        wanted.append(("negative", "confidentiality", ""))
    if rng.random() < 0.3:
        wanted.append((rng.choice(("positive", "negative")), "",
                       rng.choice(("collaboration", "professional_skill"))))  # fmt: skip
    for polarity, kind, indicator in wanted:
        what = rng.choice(SAID[kind]) if kind else EVIDENCE[(polarity, indicator)]
        day = first + timedelta(days=rng.randrange((last - first).days + 1))
        given = IncidentInput(
            day, polarity, what, kind=kind, indicator=_if_known(person, indicator)
        )
        incident = do_record_incident(lead, person.number, given)
        if polarity == "negative" and person.user is not None and rng.random() < 0.6:
            do_respond(person.user, incident.pk, rng.choice(RESPONSES))
    return len(wanted)


def _some(rng: random.Random, choices: tuple[int, ...]) -> int:
    return rng.choice(choices)


def _if_known(person: Employee, indicator: str) -> str:
    """The indicator, if the person's scheme has it (the service schemes all do)."""
    if not indicator:
        return ""
    from .evidence import current_scheme, targets

    return (
        indicator if any(t.indicator == indicator for t in targets(current_scheme(person))) else ""
    )


def _hold_one_on_ones(first: date, last: date, rng: random.Random) -> None:
    """Each lead's monthly 1:1 with most of their reports, linking the month's incidents."""
    month = first.replace(day=1)
    while month <= last:
        label = month.strftime("%Y-%m")
        for person in _people_below_leads():
            if rng.random() < 0.15:  # some months a 1:1 slips: the reminders find them
                continue
            linked = list(
                Incident.objects.filter(
                    employee=person, occurred_on__year=month.year, occurred_on__month=month.month
                ).values_list("pk", flat=True)[:3]
            )
            do_save_one_on_one(
                person.manager.user,  # type: ignore[union-attr]
                person.number,
                OneOnOneInput(
                    label, went_well=rng.choice(WENT_WELL), to_improve=rng.choice(TO_IMPROVE),
                    actions=rng.choice(ACTIONS), incident_ids=linked,
                ),
            )  # fmt: skip
        month = (month + timedelta(days=32)).replace(day=1)


WENT_WELL = [
    "接通率稳定在目标以上，客户评价积极。",
    "本月投诉处理及时，没有升级到主管。",
    "带教新人投入，团队反馈很好。",
    "知识库使用熟练，一次解决率提升。",
]
TO_IMPROVE = [
    "话后处理时间偏长，需要提高记录效率。",
    "复杂投诉的安抚话术还需加强。",
    "工单分类准确率有待提高。",
    "跨部门沟通时要把问题描述完整。",
]
ACTIONS = [
    "每周与组长复盘两通录音。",
    "参加下月的投诉处理专项培训。",
    "使用快捷回复模板，月底前话后处理缩短到60秒内。",
    "整理一份常见问题清单，分享给全组。",
]
