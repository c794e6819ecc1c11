"""The operational-data sources, their canonical columns and how each is checked.

Headers may be the canonical English names or the Chinese (or other English) names listed
here; a site can add its own mapping for another system's export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kaohe.core import Lang, Text


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"  # whole number ≥ 0 (seconds)
    NUMBER = "number"
    TIMESTAMP = "timestamp"  # ISO 8601; without an offset, local time in the organisation
    BOOL = "bool"
    CHOICE = "choice"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    required: bool = False
    aliases: tuple[str, ...] = ()
    choices: dict[str, str] = field(default_factory=dict)  # spelling → canonical value
    minimum: float | None = None
    maximum: float | None = None
    employee: bool = False  # holds an employee number
    hint: Text | None = None  # what to write in it, when the kind does not say enough

    @property
    def label(self) -> Text:
        """The column as people name it: its first Chinese header, or its English words."""
        words = " ".join("ID" if part == "id" else part for part in self.name.split("_"))
        return Text(self.aliases[0] if self.aliases else self.name, words[:1].upper() + words[1:])

    @property
    def chinese_headers(self) -> tuple[str, ...]:
        return tuple(alias for alias in self.aliases if not alias.isascii())

    def spellings(self, lang: Lang = "zh") -> list[str]:
        """Each value a choice column takes, with its Chinese spellings, punctuated for the
        reader: ``inbound（呼入、入）`` / ``inbound (呼入, 入)``."""
        spelled = []
        for canonical in sorted(set(self.choices.values())):
            chinese = [s for s, c in self.choices.items() if c == canonical and not s.isascii()]
            if not chinese:
                spelled.append(canonical)
            elif lang == "zh":
                spelled.append(f"{canonical}（{'、'.join(chinese)}）")
            else:
                spelled.append(f"{canonical} ({', '.join(chinese)})")
        return spelled


SENTIMENT_MODEL = "sentiment_model"


@dataclass(frozen=True)
class Scored:
    """A text column whose sentiment the import adds when it is given a scorer: the score,
    P(positive) in [0, 1], goes in ``score``; every row also names the model that scored
    it in ``sentiment_model`` (null: imported without one). Neither is a column of the
    file: a header of that name is not read."""

    text: str
    score: str

    @property
    def columns(self) -> tuple[tuple[str, str], ...]:
        """The columns the import adds, with their SQL types."""
        return ((self.score, "DOUBLE"), (SENTIMENT_MODEL, "VARCHAR"))


@dataclass(frozen=True)
class Source:
    name: str
    # The natural key, one column or more: re-importing a record with the same key
    # replaces it (a transcript's turn is (call_id, turn)). Key columns are required.
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # (later, earlier): the later timestamp (or offset), when present, may not precede the
    # earlier.
    time_order: tuple[tuple[str, str], ...] = ()
    period_column: str | None = None  # which timestamp places a record in a period
    label: Text = field(default_factory=lambda: Text("", ""))  # the source in words
    scored: Scored | None = None

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def timestamps(self) -> list[str]:
        return [c.name for c in self.columns if c.kind is Kind.TIMESTAMP]

    @property
    def derived(self) -> tuple[tuple[str, str], ...]:
        """The columns the import adds to the file's, with their SQL types."""
        return () if self.scored is None else self.scored.columns

    def key_sql(self, alias: str = "") -> str:
        """The key's columns for SQL: ``call_id, turn`` (or ``s.call_id, s.turn``)."""
        prefix = f"{alias}." if alias else ""
        return ", ".join(prefix + name for name in self.key)

    def key_matches(self, left: str, right: str) -> str:
        """SQL joining two aliases on the key: ``s.call_id = e.call_id AND s.turn = e.turn``."""
        return " AND ".join(f"{left}.{name} = {right}.{name}" for name in self.key)


def _choices(**spellings: tuple[str, ...]) -> dict[str, str]:
    table = {}
    for canonical, others in spellings.items():
        table[canonical] = canonical
        for other in others:
            table[other.lower()] = canonical
    return table


def _text(name: str, *aliases: str, required: bool = False, employee: bool = False) -> Column:
    return Column(name, Kind.TEXT, required, aliases, employee=employee)


def _time(name: str, *aliases: str, required: bool = False, hint: Text | None = None) -> Column:
    return Column(name, Kind.TIMESTAMP, required, aliases, hint=hint)


def _seconds(name: str, *aliases: str) -> Column:
    return Column(name, Kind.INT, False, aliases, minimum=0)


def _offset(name: str, *aliases: str) -> Column:
    """Seconds from the start of the call, decimals allowed (speech-to-text gives them)."""
    hint = Text(
        "距通话开始的秒数，可有小数", "seconds from the start of the call; decimals allowed"
    )
    return Column(name, Kind.NUMBER, False, aliases, minimum=0, hint=hint)


_BOOL_HINT = Text("1/0、true/false 或 是/否", "1/0, true/false or 是/否")

CALLS = Source(
    "calls",
    label=Text("话务记录", "Call records"),
    key=("call_id",),
    columns=(
        _text("call_id", "通话编号", "通话ID", "呼叫编号", required=True),
        Column(
            "direction",
            Kind.CHOICE,
            True,
            ("方向", "呼叫方向", "呼叫类型"),
            _choices(inbound=("呼入", "in", "入"), outbound=("呼出", "out", "出")),
        ),
        _text("queue", "队列", "技能组"),
        _text("agent_id", "坐席工号", "坐席", "工号", employee=True),
        _text("customer_id", "客户编号", "客户ID", "主叫号码"),
        _time("offered_at", "进线时间", "呼入时间", "振铃时间", required=True),
        _time(
            "answered_at",
            "接通时间",
            "应答时间",
            hint=Text("未接通则留空", "empty if not answered"),
        ),
        _time("ended_at", "结束时间", "挂机时间", required=True),
        _seconds("hold_seconds", "保持时长", "保持时长秒"),
        _seconds("wrap_seconds", "话后处理时长", "话后时长"),
    ),
    time_order=(
        ("answered_at", "offered_at"),
        ("ended_at", "answered_at"),
        ("ended_at", "offered_at"),
    ),
    period_column="offered_at",
)

TICKETS = Source(
    "tickets",
    label=Text("工单", "Tickets"),
    key=("ticket_id",),
    columns=(
        _text("ticket_id", "工单编号", "工单号", required=True),
        Column(
            "kind",
            Kind.CHOICE,
            True,
            ("类型", "工单类型"),
            _choices(
                complaint=("投诉",), request=("请求", "咨询", "服务请求"), incident=("故障", "事件")
            ),
        ),
        _text("customer_id", "客户编号", "客户ID"),
        _text("assignee_id", "处理人工号", "处理人", "负责人工号", employee=True),
        _time("created_at", "创建时间", "提交时间", required=True),
        _time("first_response_at", "首次响应时间", "响应时间"),
        _time("resolved_at", "解决时间", "关闭时间"),
    ),
    time_order=(("first_response_at", "created_at"), ("resolved_at", "created_at")),
    period_column="created_at",
)

SURVEY_RANGES = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7), "meeting": (1, 5)}

SURVEYS = Source(
    "surveys",
    label=Text("满意度调查", "Satisfaction surveys"),
    key=("survey_id",),
    columns=(
        _text("survey_id", "问卷编号", "评价编号", required=True),
        Column(
            "kind",
            Kind.CHOICE,
            True,
            ("类型", "评价类型"),
            _choices(
                csat=("满意度",),
                nps=("净推荐值", "推荐度"),
                ces=("费力度",),
                meeting=("会议支持", "会议满意度"),
            ),
        ),
        Column(
            "score",
            Kind.NUMBER,
            True,
            ("分数", "评分", "得分"),
            hint=Text(
                "满意度 1–5，净推荐值 0–10，费力度 1–7，会议支持 1–5",
                "csat 1–5, nps 0–10, ces 1–7, meeting 1–5",
            ),
        ),
        _text("agent_id", "坐席工号", "工号", employee=True),
        _time("responded_at", "评价时间", "回复时间", required=True),
        _text("call_id", "通话编号"),
        _text("ticket_id", "工单编号"),
        _text("comment", "评语", "备注"),
    ),
    period_column="responded_at",
    scored=Scored("comment", "comment_sentiment"),
)

ACCOUNTS = Source(
    "accounts",
    label=Text("客户档案", "Customer accounts"),
    key=("account_id",),
    columns=(
        _text("account_id", "客户编号", "客户ID", required=True),
        _text("name", "客户名称", "名称"),
        Column(
            "key_account", Kind.BOOL, True, ("大客户", "是否大客户", "重点客户"), hint=_BOOL_HINT
        ),
        _text("owner_id", "负责人工号", "客户经理工号", employee=True),
    ),
)

VISITS = Source(
    "visits",
    label=Text("客户回访", "Customer visits"),
    key=("visit_id",),
    columns=(
        _text("visit_id", "回访编号", "拜访编号", required=True),
        _text("account_id", "客户编号", "客户ID", required=True),
        _text("employee_id", "回访人工号", "工号", employee=True),
        _time("visited_at", "回访时间", "拜访时间", required=True),
    ),
    period_column="visited_at",
)

QA = Source(
    "qa",
    label=Text("质检记录", "QA evaluations"),
    key=("evaluation_id",),
    columns=(
        _text("evaluation_id", "质检编号", "抽检编号", required=True),
        _text("call_id", "通话编号"),
        _text("agent_id", "坐席工号", "工号", employee=True),
        _time("evaluated_at", "质检时间", "抽检时间", required=True),
        Column("score", Kind.NUMBER, False, ("得分", "分数"), minimum=0, maximum=100),
        Column("passed", Kind.BOOL, True, ("是否合格", "合格"), hint=_BOOL_HINT),
    ),
    period_column="evaluated_at",
)

# A call's transcript, one row per turn, from a speech-to-text system. The call record
# places it in a period (its offered_at) and a queue; it holds no time of its own.
TRANSCRIPTS = Source(
    "transcripts",
    label=Text("通话转写", "Call transcripts"),
    key=("call_id", "turn"),
    columns=(
        _text("call_id", "通话编号", "通话ID", "呼叫编号", required=True),
        Column(
            "turn",
            Kind.INT,
            True,
            ("轮次", "序号", "发言序号"),
            minimum=1,
            hint=Text("从 1 开始，按发言顺序", "from 1, in the order spoken"),
        ),
        Column(
            "speaker",
            Kind.CHOICE,
            True,
            ("说话人", "发言人", "角色"),
            _choices(
                agent=("坐席", "座席", "客服", "员工", "staff"),
                customer=("客户", "顾客", "用户", "来电人", "caller"),
            ),
        ),
        _text("text", "内容", "文本", "转写文本", "发言内容", required=True),
        _offset("start_seconds", "开始秒", "开始时间（秒）", "起始时间"),
        _offset("end_seconds", "结束秒", "结束时间（秒）", "终止时间"),
        # Whose call it is, when the call record does not say: the call record's agent
        # wins (docs/metrics.md, "Transcripts").
        _text("agent_id", "坐席工号", "工号", employee=True),
    ),
    time_order=(("end_seconds", "start_seconds"),),
    scored=Scored("text", "sentiment"),
)

# Administration and technical support.
PURCHASES = Source(
    "purchases",
    label=Text("采购记录", "Purchase orders"),
    key=("order_id",),
    columns=(
        _text("order_id", "采购单号", "订单编号", required=True),
        _text("buyer_id", "采购人工号", "经办人工号", employee=True),
        _time("ordered_at", "下单时间", "申请时间", required=True),
        _time("promised_at", "约定交付时间", "要求到货时间", required=True),
        _time("delivered_at", "交付时间", "到货时间"),
        Column("budget_amount", Kind.NUMBER, False, ("预算金额", "预算"), minimum=0),
        Column("actual_amount", Kind.NUMBER, False, ("实际金额", "成交金额"), minimum=0),
    ),
    time_order=(("delivered_at", "ordered_at"), ("promised_at", "ordered_at")),
    period_column="ordered_at",
)

ASSET_CHECKS = Source(
    "asset_checks",
    label=Text("资产盘点", "Asset checks"),
    key=("check_id",),
    columns=(
        _text("check_id", "盘点编号", required=True),
        _text("employee_id", "负责人工号", "盘点人工号", employee=True),
        _time("checked_at", "盘点时间", required=True),
        Column("assets_checked", Kind.INT, True, ("盘点数量", "资产数量"), minimum=0),
        Column("discrepancies", Kind.INT, True, ("差错数量", "账实不符数量"), minimum=0),
    ),
    period_column="checked_at",
)

KB_UPDATES = Source(
    "kb_updates",
    label=Text("知识库更新", "Knowledge-base updates"),
    key=("update_id",),
    columns=(
        _text("update_id", "更新编号", required=True),
        _text("article_id", "文章编号", "知识编号"),
        _text("author_id", "作者工号", "更新人工号", employee=True),
        _time("updated_at", "更新时间", "发布时间", required=True),
    ),
    period_column="updated_at",
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        CALLS, TICKETS, SURVEYS, ACCOUNTS, VISITS, QA, TRANSCRIPTS, PURCHASES, ASSET_CHECKS,
        KB_UPDATES,
    )
}  # fmt: skip
