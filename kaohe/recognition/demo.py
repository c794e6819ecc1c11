"""The demo's team wall: colleagues thank each other — mostly within their team, now and
then across teams, sometimes their lead thanks them — for the company values or for an
indicator of their scheme; one person hides a thank-you from the wall; each team lead
confirms one thank-you to their people as a positive incident. All through the real
actions, from a seeded random generator, so that every demo is the same.

Run after the demo organisation exists (``load_demo``), best after the cycles, so that the
incidents the confirmations make come last: ``demo_recognition()``."""

from __future__ import annotations

import random
from collections import defaultdict

from django.utils import translation

from kaohe.org.models import Employee

from .actions import ThanksInput, do_confirm_thanks, do_give_thanks, do_set_shown
from .models import Thanks
from .ties import ties_for

# Few from any one person: the demo's thank-yous are all made today, and the people
# signing in to the demo may still thank colleagues themselves.
MOST_PER_AUTHOR = 3
NOTES = {
    "customer-first": [
        "昨天那位情绪激动的客户，你耐心听完又主动回访，客户最后专门打电话来表扬。",
        "帮我接手了一个跨部门的退款工单，当天就给客户答复了，谢谢！",
        "节假日值班还坚持把每个回访做完，客户体验满分。",
    ],
    "teamwork": [
        "高峰期主动帮我们组分担来电，排队一下子就降下来了。",
        "谢谢你把整理好的话术模板分享给全组，新人上手快多了。",
        "夜班交接写得特别清楚，第二天一早就能接着处理。",
    ],
    "ownership": [
        "系统故障时第一时间通知大家并整理了应急口径，非常靠谱。",
        "主动把知识库里过期的条目都更新了，省了大家很多查询时间。",
    ],
    "professional": [
        "这周的质检录音被选为优秀案例，解释政策又准又清楚。",
        "复杂的投诉你十分钟就理清了，学到了很多。",
    ],
    "integrity": ["发现自己录错的工单后主动更正并告知客户，值得大家学习。"],
    "indicator": [
        "这个月一次解决率一直稳定在高位，客户都不用再打第二次电话了。",
        "你的通话总是又快又好，这方面一直是我们的榜样。",
        "这段时间你在这项指标上进步很大，继续加油！",
    ],
}


def _note(rng: random.Random, tie: str) -> str:
    key = tie.split(":", 1)[1] if tie.startswith("value:") else "indicator"
    return rng.choice(NOTES.get(key) or NOTES["teamwork"])


def demo_recognition(count: int = 36) -> int:
    """The thank-yous made; none when there are some already."""
    if Thanks.objects.exists():
        return 0
    rng = random.Random(13)
    people = list(
        Employee.objects.active()
        .filter(user__isnull=False, user__is_active=True)
        .select_related("manager", "user", "department")
        .order_by("number")
    )
    teams: dict[int, list[Employee]] = defaultdict(list)
    for person in people:
        teams[person.department_id].append(person)
    given: dict[int, int] = defaultdict(int)
    made: list[Thanks] = []
    with translation.override("zh-hans"):
        made += _for_the_demo_agent(rng, people, teams)
        for thanks in made:
            given[thanks.author_id] += 1
        for _round in range(count * 3):
            if len(made) >= count:
                break
            author = rng.choice(people)
            colleagues = [p for p in teams[author.department_id] if p.pk != author.pk]
            if rng.random() < 0.2 or not colleagues:  # across teams now and then
                colleagues = [p for p in people if p.pk != author.pk]
            recipient = rng.choice(colleagues)
            if given[author.pk] >= MOST_PER_AUTHOR:
                continue
            ties = [t.choice for t in ties_for(recipient)]
            if not ties:
                continue
            tie = rng.choice(ties)
            made.append(
                do_give_thanks(author.user, ThanksInput(recipient.number, _note(rng, tie), tie))
            )
            given[author.pk] += 1
        _settle(made)
    return len(made)


def _for_the_demo_agent(
    rng: random.Random, people: list[Employee], teams: dict[int, list[Employee]]
) -> list[Thanks]:
    """The demo agent is thanked by a teammate for an indicator, and thanks one back, so
    that the accounts people sign in with have something on the wall."""
    agent = next((p for p in people if p.user.username == "agent"), None)
    mates = [p for p in teams[agent.department_id] if p.pk != agent.pk] if agent else []
    if agent is None or not mates:
        return []
    mate = rng.choice([p for p in mates if p.pk != agent.manager_id] or mates)
    indicators = [t.choice for t in ties_for(agent) if t.kind == "indicator"]
    tie = indicators[0] if indicators else "value:teamwork"
    return [
        do_give_thanks(mate.user, ThanksInput(agent.number, _note(rng, tie), tie)),
        do_give_thanks(agent.user, ThanksInput(mate.number, _note(rng, "value:teamwork"),
                                               "value:teamwork")),
    ]  # fmt: skip


def _settle(made: list[Thanks]) -> None:
    """One recipient keeps a thank-you off the wall; each manager confirms one to a report
    (not one they wrote)."""
    if made:
        first = made[-1]
        do_set_shown(first.recipient.user, first.pk, False)
    confirmed: set[int] = set()
    for thanks in made:
        manager = thanks.recipient.manager
        if manager is None or manager.user is None or manager.pk in confirmed:
            continue
        if thanks.author_id == manager.pk:
            continue
        do_confirm_thanks(manager.user, thanks.pk)
        confirmed.add(manager.pk)
