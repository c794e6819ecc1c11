"""A few September calls with transcripts and survey comments whose mood is plain to any
reader, for the sentiment tests. The figures they should give, worked out by hand from
the call records and which turns are angry and which pleased (the model is only trusted
for the direction of such plain sentences, never for its exact probabilities):

call  agent      queue  customer's turns               start  end   recovered
c1    ann A001   Q1     angry, angry                   neg    neg   no
c2    ann A001   Q1     angry, pleased                 neg    pos   yes
c3    amy A002   Q1     pleased, pleased               pos    pos   —
c4    bob B001   Q2     angry, angry                   neg    neg   no
c5    ZZZ (not in kaohe) Q2   angry (one turn)         neg    neg   — (one turn)

ann: 1 of 2 calls ended negative (50 %), 1 of 2 that started negative recovered (50 %);
her comments: one angry, one pleased (a mean near the middle). amy: 0 of 1 ended
negative, none started negative, one pleased comment (near 1). The whole centre: 3 of 5
ended negative (60 %), 1 of 3 recovered (33 %).
"""

from __future__ import annotations

from pathlib import Path

from kaohe.data import services
from kaohe.data.actions import do_import_data
from kaohe.org.models import Employee

ANGRY = (
    "你们的宽带断了一整天，到现在都没人管，我非常生气！",
    "还是没解决，太失望了，我要投诉！",
    "等了一个小时都没人接，太差劲了。",
)
PLEASED = (
    "好的，问题解决了，谢谢你的耐心帮助！",
    "太好了，服务很周到，非常满意，谢谢！",
    "客服很耐心，问题很快就解决了，非常满意。",
)
AGENT_SAYS = "非常抱歉给您带来不便，我马上帮您查一下。"

CALL_HEADER = "通话编号,方向,队列,坐席工号,客户编号,进线时间,接通时间,结束时间\n"


def call_line(call_id: str, queue: str, agent: str, minute: int) -> str:
    at = f"2026-09-0{1 + minute % 9} 09:{minute:02d}"
    return f"{call_id},呼入,{queue},{agent},K{minute},{at}:00,{at}:10,{at}:50\n"


CALLS = CALL_HEADER + "".join(
    call_line(*call)
    for call in [
        ("c1", "Q1", "A001", 1),
        ("c2", "Q1", "A001", 2),
        ("c3", "Q1", "A002", 3),
        ("c4", "Q2", "B001", 4),
        ("c5", "Q2", "ZZZ", 5),
    ]
)

TRANSCRIPT_HEADER = "通话编号,轮次,说话人,内容,开始秒,结束秒\n"


def transcript_lines(call_id: str, customer: tuple[str, ...]) -> str:
    """The customer's turns, the agent's apology between them."""
    lines, turn = [], 1
    for index, said in enumerate(customer):
        if index:
            lines.append(f"{call_id},{turn},坐席,{AGENT_SAYS},,")
            turn += 1
        lines.append(f"{call_id},{turn},客户,{said},,")
        turn += 1
    return "".join(line + "\n" for line in lines)


TRANSCRIPTS = TRANSCRIPT_HEADER + "".join(
    transcript_lines(call_id, turns)
    for call_id, turns in [
        ("c1", (ANGRY[0], ANGRY[1])),
        ("c2", (ANGRY[0], PLEASED[0])),
        ("c3", (PLEASED[1], PLEASED[2])),
        ("c4", (ANGRY[2], ANGRY[1])),
        ("c5", (ANGRY[0],)),
    ]
)

SURVEYS = (
    "问卷编号,类型,分数,坐席工号,评价时间,通话编号,评语\n"
    f"s1,csat,1,A001,2026-09-02 10:00:00,c1,{ANGRY[2]}\n"
    f"s2,csat,5,A001,2026-09-03 10:00:00,c2,{PLEASED[2]}\n"
    f"s3,csat,5,A002,2026-09-04 10:00:00,c3,{PLEASED[1]}\n"
)


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def import_all(user, folder: Path, *sources: str) -> None:
    """Import the calls, transcripts and surveys (or those named) as ``user``."""
    texts = {"calls": CALLS, "transcripts": TRANSCRIPTS, "surveys": SURVEYS}
    for source in sources or texts:
        path = write(folder, f"{source}.csv", texts[source])
        do_import_data(user, source, path, path.name)


def with_metrics(user, folder: Path, period: str = "2026-Q3") -> None:
    """Everything imported and the period's metrics stored, as after an import."""
    import_all(user, folder)
    services.store_metrics(period)


def more_agents_in(org, department: str, count: int, folder: Path, user) -> list[Employee]:
    """``count`` more agents in the department, each with one transcribed call that ended
    negative in September, imported; returns them."""
    made = []
    calls, transcripts = [CALL_HEADER], [TRANSCRIPT_HEADER]
    for index in range(count):
        number = f"X{index:03d}"
        made.append(
            Employee.objects.create(
                number=number, name=f"同事{index}", department=org.departments[department],
                position=org.people["ann"].position, manager=org.people["mike"],
            )
        )  # fmt: skip
        calls.append(call_line(f"x{index}", "Q1", number, 10 + index))
        transcripts.append(transcript_lines(f"x{index}", (ANGRY[0], ANGRY[1])))
    for source, lines in (("calls", calls), ("transcripts", transcripts)):
        path = write(folder, f"more-{source}.csv", "".join(lines))
        do_import_data(user, source, path, path.name)
    return made
