"""Signals for the weight advice: what the figures of successive quarters say about where a
scheme's weight should go next cycle (seed 002 §五: "when the system sees the risk of
losing key accounts grow, raise the weight of key-account revisits for a while; when it
finds a bottleneck in the service process, give the process indicators more points").

Three kinds of signal:

- **key accounts** — churn risk rising: the key-account revisit rate falls, or the NPS
  among key accounts falls;
- **process** — a complaint-handling bottleneck: complaints take longer to resolve, or a
  smaller share of them is resolved;
- **launch** — a new-product launch HR flags, naming the indicators it concerns.

A figure is judged by ``judge``: its latest quarter against the mean of up to four
quarters before it (the *baseline*). It is reported as worsening when it moved the wrong
way by at least the figure's ``notice`` and by at least twice its *usual swing* (the mean
absolute change from one earlier quarter to the next), so that a figure that always jumps
about does not raise an alarm on an ordinary jump. A reading on too small a base (fewer
key accounts, answers or complaints than ``min_base``) is left out; a figure with fewer
than two usable quarters before the latest, or none for the latest, is too short to judge.
The strength of a worsening is how far it went towards ``full`` (0–1); a signal's strength
is the sum of its figures', at most 1, and ``weight_for`` turns it into the points of
weight (1–5) the proposal moves.

The thresholds (``RULES``):

| figure | better | min base | notice | full |
| --- | --- | --- | --- | --- |
| key-account revisit rate | higher | 5 key accounts | 5 points | 25 points |
| key accounts' NPS | higher | 20 answers | 5 points | 25 points |
| complaint resolution rate | higher | 10 complaints | 3 points | 15 points |
| mean complaint resolution time | lower | 10 resolved | +15 % of the baseline | +60 % |

Pure: the Django side gathers the readings and passes them in.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise
from statistics import fmean

from kaohe.core import Text, round_half_up

EARLIER_QUARTERS = 4  # at most this many quarters before the latest make the baseline
NOISE_FACTOR = 2.0  # a worsening must be at least this many usual swings
MOST_WEIGHT = Decimal(5)  # points of weight one signal moves, at most


class Better(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class SignalKind(StrEnum):
    KEY_ACCOUNTS = "key_accounts"
    PROCESS = "process"
    LAUNCH = "launch"


@dataclass(frozen=True, slots=True)
class FigureRule:
    name: Text
    better: Better
    min_base: float  # readings on a smaller base are left out
    notice: float  # the smallest worsening reported (a share of the baseline if relative)
    full: float  # the worsening of full strength (likewise)
    unit: str = ""  # "%", "h" or "": how a value is written
    relative: bool = False


RULES: dict[str, FigureRule] = {
    "key_account_revisit_rate": FigureRule(
        Text("大客户回访执行率", "key-account revisit rate"), Better.HIGHER, 5, 5, 25, "%"
    ),
    "key_account_nps": FigureRule(
        Text("大客户净推荐值", "key accounts' NPS"), Better.HIGHER, 20, 5, 25
    ),
    "complaint_resolution_rate": FigureRule(
        Text("投诉解决率", "complaint resolution rate"), Better.HIGHER, 10, 3, 15, "%"
    ),
    "complaint_resolution_hours": FigureRule(
        Text("投诉平均解决时长", "mean complaint resolution time"),
        Better.LOWER, 10, 0.15, 0.6, "h", relative=True,
    ),
}  # fmt: skip

# The figures each kind of signal reads, in the order its sentence names them.
FIGURES_OF: dict[SignalKind, tuple[str, ...]] = {
    SignalKind.KEY_ACCOUNTS: ("key_account_revisit_rate", "key_account_nps"),
    SignalKind.PROCESS: ("complaint_resolution_hours", "complaint_resolution_rate"),
}

# The indicators a signal speaks for: those whose inputs read these catalog metrics, or are
# these inputs (a process-system completion rate is kept by hand, not in the catalog).
TARGET_METRICS: dict[SignalKind, frozenset[str]] = {
    SignalKind.KEY_ACCOUNTS: frozenset({"key_account_revisit_rate"}),
    SignalKind.PROCESS: frozenset(
        {"complaint_resolution_rate", "complaint_resolved_3wd_rate", "complaint_response_2h_rate"}
    ),
}
TARGET_INPUTS: dict[SignalKind, frozenset[str]] = {
    SignalKind.KEY_ACCOUNTS: frozenset(),
    SignalKind.PROCESS: frozenset({"process_completion_rate"}),
}


@dataclass(frozen=True, slots=True)
class QuarterReading:
    """A figure's value in one period, and how many it stands on."""

    period: str
    value: float | None  # None: an empty base
    base: float


@dataclass(frozen=True, slots=True)
class Trend:
    """A figure's latest quarter against the ones before."""

    figure: str
    latest: QuarterReading
    earlier: tuple[QuarterReading, ...]  # the usable quarters of the baseline, oldest first
    baseline: float  # their mean
    swing: float  # the mean absolute change from one of them to the next
    worsening: float  # how far the latest went the wrong way (negative: the right way)
    strength: float  # 0 when not reported, else up to 1

    @property
    def reported(self) -> bool:
        return self.strength > 0

    @property
    def rule(self) -> FigureRule:
        return RULES[self.figure]

    def sentence(self) -> Text:
        rule = self.rule
        latest = _written(self.latest.value or 0.0, rule.unit)
        baseline = _written(self.baseline, rule.unit)
        count, period = len(self.earlier), self.latest.period
        rose = (self.latest.value or 0.0) > self.baseline
        return Text(
            f"{rule.name.zh}由此前 {count} 个季度平均 {baseline.zh} {'升' if rose else '降'}至 "
            f"{period} 的 {latest.zh}",
            f"the {rule.name.en} {'rose' if rose else 'fell'} from an average of "
            f"{baseline.en} over the {count} quarters before to {latest.en} in {period}",
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """Whose figures: the organisation's, or a department's."""

    key: str  # "org", or "department:<id>"
    name: Text

    @property
    def is_organisation(self) -> bool:
        return self.key == ORGANISATION.key


ORGANISATION = Subject("org", Text("全公司", "the organisation"))


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    subject: Subject
    strength: float  # 0 < strength ≤ 1
    trends: tuple[Trend, ...]  # the figures judged, reported or not
    sentence: Text
    indicators: tuple[str, ...] = ()  # a launch: the indicators HR named

    @property
    def weight(self) -> Decimal:
        return weight_for(self.strength)


def _usable(reading: QuarterReading, rule: FigureRule) -> bool:
    return reading.value is not None and reading.base >= rule.min_base


def judge(readings: Sequence[QuarterReading], figure: str) -> Trend | None:
    """The figure's latest reading against the usable ones before it; None when too short
    to judge (the latest unusable, or fewer than two usable quarters before it)."""
    rule = RULES[figure]
    if not readings or not _usable(readings[-1], rule):
        return None
    latest = readings[-1]
    earlier = tuple(r for r in readings[:-1] if _usable(r, rule))[-EARLIER_QUARTERS:]
    if len(earlier) < 2:
        return None
    values = [r.value for r in earlier if r.value is not None]
    baseline = fmean(values)
    swing = fmean(abs(b - a) for a, b in pairwise(values))
    assert latest.value is not None
    worsening = baseline - latest.value if rule.better is Better.HIGHER else latest.value - baseline
    measured = worsening
    if rule.relative:  # a share of the baseline; with no time to grow from, nothing
        measured = worsening / baseline if baseline > 0 else 0.0
    reported = measured >= rule.notice and worsening >= NOISE_FACTOR * swing
    strength = min(1.0, measured / rule.full) if reported else 0.0
    return Trend(figure, latest, earlier, baseline, swing, worsening, strength)


def find_signal(
    kind: SignalKind, subject: Subject, series: Mapping[str, Sequence[QuarterReading]]
) -> Signal | None:
    """A key-account or process signal from the subject's readings of each figure, oldest
    first; None when no figure of the kind is reported as worsening."""
    trends = [
        trend
        for figure in FIGURES_OF[kind]
        if (trend := judge(series.get(figure, ()), figure)) is not None
    ]
    reported = [t for t in trends if t.reported]
    if not reported:
        return None
    strength = min(1.0, sum(t.strength for t in reported))
    zh = "；".join(t.sentence().zh for t in reported)
    en = "; ".join(t.sentence().en for t in reported)
    who = subject.name
    if kind is SignalKind.KEY_ACCOUNTS:
        sentence = Text(f"{who.zh}大客户流失风险上升：{zh}。",
                        f"Key-account churn risk is rising for {who.en}: {en}.")  # fmt: skip
    else:
        sentence = Text(f"{who.zh}投诉处理出现流程瓶颈：{zh}。",
                        f"A complaint-handling bottleneck for {who.en}: {en}.")  # fmt: skip
    return Signal(kind, subject, strength, tuple(trends), sentence)


def launch_signal(name: str, starts: str, ends: str, indicators: Sequence[str],
                  weight: int) -> Signal:  # fmt: skip
    """HR's flag of a new-product launch (dates as ISO days), asking for ``weight`` points
    (1–5) more on the indicators it names while it runs."""
    if not 1 <= weight <= MOST_WEIGHT:
        raise ValueError("a launch moves 1 to 5 points of weight")
    sentence = Text(
        f"新产品上线「{name}」（{starts} 至 {ends}）：HR 要求在此期间提高相关指标的权重。",
        f"New-product launch “{name}” ({starts} to {ends}): HR asks for more weight on the "
        "indicators it concerns while it runs.",
    )
    strength = weight / float(MOST_WEIGHT)
    return Signal(SignalKind.LAUNCH, ORGANISATION, strength, (), sentence, tuple(indicators))


def weight_for(strength: float) -> Decimal:
    """The points of weight a signal of this strength moves: 5 × strength, rounded half up,
    1 to 5."""
    points = round_half_up(MOST_WEIGHT * Decimal(repr(strength)), Decimal(1))
    return min(MOST_WEIGHT, max(Decimal(1), points))


def _written(value: float, unit: str) -> Text:
    number = round_half_up(Decimal(repr(value)), Decimal("0.1"))
    shown = str(number.normalize()) if number != number.to_integral() else str(int(number))
    if unit == "%":
        return Text(f"{shown}%", f"{shown} %")
    if unit == "h":
        return Text(f"{shown} 小时", f"{shown} h")
    return Text(shown, shown)
