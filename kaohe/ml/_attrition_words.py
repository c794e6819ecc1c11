"""Each of kaohe's attrition features, and one true sentence about a person's value of it
in Chinese and English — the reasons a person's risk page gives. A feature the catalogue
does not know (a public data set's column) is described by its name and value."""

from __future__ import annotations

from collections.abc import Callable

from kaohe.core import Text

_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
       "eleven", "twelve")  # fmt: skip
_ZH = "零一两三四五六七八九十"
GRADES = {5: "A", 4: "B", 3: "C", 2: "D", 1: "E"}


def count_en(n: int) -> str:
    return _EN[n] if 0 <= n < len(_EN) else str(n)


def count_zh(n: int) -> str:
    """How Chinese counts things: 两个月, 十二次; digits beyond twenty."""
    if 0 <= n <= 10:
        return _ZH[n]
    if 10 < n < 20:
        return "十" + "零一二三四五六七八九"[n - 10]
    return str(n)


def _times(n: int, one: str, many: str) -> str:
    return f"{count_en(n)} {one if n == 1 else many}"


def _number(value: float) -> str:
    rounded = round(value, 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _tenure(v: float) -> Text:
    n = int(v)
    if n < 12:
        return Text(f"入职仅 {n} 个月", f"joined only {_times(n, 'month', 'months')} ago")
    years = n // 12
    return Text(f"入职约 {years} 年", f"in the company for about {_times(years, 'year', 'years')}")


def _grade(v: float) -> Text:
    grade = GRADES.get(round(v), "?")
    return Text(f"上一周期考核等级为 {grade}", f"grade {grade} last cycle")


def _grade_change(v: float) -> Text:
    n = round(v)
    if n < 0:
        return Text(
            f"考核等级比前一周期下降{count_zh(-n)}级",
            f"grade fell {_times(-n, 'step', 'steps')} from the cycle before",
        )
    if n > 0:
        return Text(
            f"考核等级比前一周期上升{count_zh(n)}级",
            f"grade rose {_times(n, 'step', 'steps')} from the cycle before",
        )
    return Text("考核等级与前一周期相同", "grade the same as the cycle before")


def _score_change(v: float) -> Text:
    if v < 0:
        return Text(
            f"考核总分比前一周期低 {_number(-v)} 分",
            f"appraisal total {_number(-v)} points lower than the cycle before",
        )
    if v > 0:
        return Text(
            f"考核总分比前一周期高 {_number(v)} 分",
            f"appraisal total {_number(v)} points higher than the cycle before",
        )
    return Text("考核总分与前一周期持平", "appraisal total unchanged from the cycle before")


def _running(
    zh_name: str, en_name: str, zh_way: str, en_way: str, en_not: str
) -> Callable[[float], Text]:
    def sentence(v: float) -> Text:
        n = int(v)
        if n >= 2:
            return Text(
                f"{zh_name}连续{count_zh(n)}个月{zh_way}",
                f"{en_name} {en_way} {count_en(n)} months running",
            )
        if n == 1:
            return Text(f"{zh_name}上个月{zh_way}", f"{en_name} {en_way} last month")
        return Text(f"{zh_name}上个月没有{zh_way}", f"{en_name} {en_not} last month")

    return sentence


def _rate_change(zh_name: str, en_name: str) -> Callable[[float], Text]:
    def sentence(v: float) -> Text:
        if v < 0:
            return Text(
                f"{zh_name}比三个月前低 {_number(-v)} 个百分点",
                f"{en_name} {_number(-v)} points lower than three months before",
            )
        if v > 0:
            return Text(
                f"{zh_name}比三个月前高 {_number(v)} 个百分点",
                f"{en_name} {_number(v)} points higher than three months before",
            )
        return Text(f"{zh_name}与三个月前持平", f"{en_name} level with three months before")

    return sentence


def _aht_change(v: float) -> Text:
    if v > 0:
        return Text(
            f"平均处理时长比三个月前长 {_number(v)} 秒",
            f"handle time {_number(v)} seconds longer than three months before",
        )
    if v < 0:
        return Text(
            f"平均处理时长比三个月前短 {_number(-v)} 秒",
            f"handle time {_number(-v)} seconds shorter than three months before",
        )
    return Text("平均处理时长与三个月前持平", "handle time level with three months before")


def _on_pip(v: float) -> Text:
    if v >= 1:
        return Text("正在执行绩效改进计划", "on an improvement plan")
    return Text("没有进行中的绩效改进计划", "not on an improvement plan")


def _counted(
    zh: str, en_one: str, en_many: str, zh_unit: str, months: int
) -> Callable[[float], Text]:
    def sentence(v: float) -> Text:
        n = int(v)
        within_zh, within_en = f"近 {months} 个月", f"in the last {count_en(months)} months"
        if n == 0:
            return Text(f"{within_zh}没有{zh}", f"no {en_many} {within_en}")
        return Text(f"{within_zh}有 {n} {zh_unit}{zh}", f"{_times(n, en_one, en_many)} {within_en}")

    return sentence


def _manager_changes(v: float) -> Text:
    n = int(v)
    if n == 0:
        return Text("近 12 个月上级没有变动", "the same manager for the last twelve months")
    return Text(
        f"近 12 个月更换上级{count_zh(n)}次",
        f"manager changed {_times(n, 'time', 'times')} in the last twelve months",
    )


def _pay(v: float) -> Text:
    percent = round(v * 100)
    return Text(
        f"基本工资为同岗位中位数的 {percent}%", f"base pay {percent}% of the position's median"
    )


def _since_raise(v: float) -> Text:
    n = int(v)
    return Text(f"已 {n} 个月未调薪", f"no raise for {_times(n, 'month', 'months')}")


def _review(v: float) -> Text:
    return Text(
        f"上一次 360 度评估均分 {v:.1f}（满分 5）", f"last 360 review averaged {v:.1f} of 5"
    )


SENTENCES: dict[str, Callable[[float], Text]] = {
    "tenure_months": _tenure,
    "grade_last": _grade,
    "grade_change": _grade_change,
    "score_change": _score_change,
    "csat_falling_months": _running("满意度", "CSAT", "下降", "fell", "did not fall"),
    "csat_change_3m": _rate_change("满意度", "CSAT"),
    "qa_falling_months": _running("质检合格率", "QA pass rate", "下降", "fell", "did not fall"),
    "qa_change_3m": _rate_change("质检合格率", "QA pass rate"),
    "aht_rising_months": _running("平均处理时长", "handle time", "上升", "rose", "did not rise"),
    "aht_change_3m": _aht_change,
    "on_pip": _on_pip,
    "pips_12m": _counted("绩效改进计划", "improvement plan", "improvement plans", "份", 12),
    "appeals_12m": _counted("考核申诉", "appeal", "appeals", "次", 12),
    "negative_incidents_6m": _counted(
        "负面关键事件", "negative critical incident", "negative critical incidents", "条", 6
    ),
    "positive_incidents_6m": _counted(
        "正面关键事件", "positive critical incident", "positive critical incidents", "条", 6
    ),
    "manager_changes_12m": _manager_changes,
    "pay_vs_median": _pay,
    "months_since_raise": _since_raise,
    "review_360_mean": _review,
    "goal_check_ins_at_risk_3m": _counted(
        "目标进展标为有风险", "goal check-in at risk", "goal check-ins at risk", "次", 3
    ),
}

# What each feature is, for the model's page.
FEATURE_NAMES: dict[str, Text] = {
    "tenure_months": Text("司龄（月）", "tenure (months)"),
    "grade_last": Text("上一周期等级", "last grade"),
    "grade_change": Text("等级变化", "grade change"),
    "score_change": Text("总分变化", "total change"),
    "csat_falling_months": Text("满意度连续下降月数", "months of falling CSAT"),
    "csat_change_3m": Text("满意度三个月变化", "CSAT change over three months"),
    "qa_falling_months": Text("质检合格率连续下降月数", "months of falling QA pass rate"),
    "qa_change_3m": Text("质检合格率三个月变化", "QA pass rate change over three months"),
    "aht_rising_months": Text("处理时长连续上升月数", "months of rising handle time"),
    "aht_change_3m": Text("处理时长三个月变化", "handle time change over three months"),
    "on_pip": Text("正在执行改进计划", "on an improvement plan"),
    "pips_12m": Text("近 12 个月改进计划数", "improvement plans, 12 months"),
    "appeals_12m": Text("近 12 个月申诉数", "appeals, 12 months"),
    "negative_incidents_6m": Text("近 6 个月负面事件", "negative incidents, 6 months"),
    "positive_incidents_6m": Text("近 6 个月正面事件", "positive incidents, 6 months"),
    "manager_changes_12m": Text("近 12 个月上级变动", "manager changes, 12 months"),
    "pay_vs_median": Text("工资与岗位中位数之比", "pay against the position's median"),
    "months_since_raise": Text("距上次调薪月数", "months since the last raise"),
    "review_360_mean": Text("360 度评估均分", "360 review average"),
    "goal_check_ins_at_risk_3m": Text(
        "近 3 个月有风险的目标进展", "goal check-ins at risk, 3 months"
    ),
}


def describe(feature: str, value: float) -> Text:
    """One sentence about this value of the feature."""
    sentence = SENTENCES.get(feature)
    if sentence is not None:
        return sentence(value)
    shown = _number(value)
    return Text(f"{feature} 为 {shown}", f"{feature} is {shown}")


def feature_name(feature: str) -> Text:
    return FEATURE_NAMES.get(feature, Text(feature, feature))
