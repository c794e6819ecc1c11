"""Synthetic words for the demo: call transcripts and survey comments, in Chinese.

A transcript follows one of a few everyday problems (a broadband outage, a wrong bill, a
late parcel, a slow refund, a locked account). The agent greets, the customer and the
agent then take turns, and the agent closes. About a third of customers call in upset;
whether an upset customer leaves content depends on the agent — an agent whose customers
are more often satisfied (the profile's CSAT) calms more of them down, and lets fewer
calm ones leave annoyed — so the sentiment metrics spread across agents the way CSAT
does. Turn offsets fill the call's talk time in proportion to what is said.

Comments follow the survey's score: a high score mostly praises, a low one complains,
the middle is mixed. Everything here draws on its own seeded generator, so that adding
words changed none of the other records the generator writes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# Upset customers and whether they calm down; calm ones and whether they leave annoyed.
_STARTS_UPSET = 0.32
_CSAT_CENTRE = 0.865  # the middle agent's chance of a CSAT 4 or 5 (_synthetic._profile)
_SPEECH_CHARS_PER_SECOND = 4.5


def _clip(value: float, low: float, high: float) -> float:
    return min(high, max(low, value))


@dataclass(frozen=True)
class _Topic:
    upset: tuple[str, ...]  # the customer's first words, upset
    calm: tuple[str, ...]  # … or calm
    fixed: tuple[str, ...]  # the agent's answer when the problem gets solved


_TOPICS = (
    _Topic(
        upset=(
            "你们的宽带从昨天晚上就断了，到现在都没人管，我真的很生气！",
            "又断网了！这个月已经第三次了，我在家办公全耽误了。",
        ),
        calm=("你好，我家宽带这两天网速有点慢，想问一下是什么原因。",),
        fixed=(
            "系统显示您所在小区的线路正在抢修，预计今天下午六点前恢复，这个月的费用会给您减免三天。",
            "我已经为您远程重启了端口，您现在看一下路由器的灯是不是恢复正常了。",
        ),
    ),
    _Topic(
        upset=(
            "这个月话费怎么多扣了五十块？我根本没开通过这个业务，太过分了。",
            "你们乱扣费是怎么回事？没经过我同意就收钱！",
        ),
        calm=("你好，我想查一下这个月的账单明细。",),
        fixed=(
            "我查到这笔是增值业务的费用，已经为您退订，并申请退还五十元，三个工作日内到账。",
            "这笔费用确实是误扣，我已经为您提交退款，同时关闭了这项业务。",
        ),
    ),
    _Topic(
        upset=(
            "我的订单说好三天到，现在一个星期了还没到，你们到底怎么回事？",
            "快递显示已签收，可我根本没收到东西，你们怎么做事的！",
        ),
        calm=("你好，我想问一下我的订单现在到哪里了。",),
        fixed=(
            "您的包裹在中转站滞留了，我已经催促加急派送，明天上午就能送到。",
            "我已经联系了快递站点核实，今天会重新为您安排派送，并补偿一张优惠券。",
        ),
    ),
    _Topic(
        upset=(
            "退款申请提交半个月了还没到账，打了好几次电话都没解决，太失望了。",
            "说好的七天退款，现在都二十天了，你们是不是不想退？",
        ),
        calm=("你好，我想了解一下退款一般多久能到账。",),
        fixed=(
            "您的退款已经审核通过，预计三个工作日内退回原支付账户，到账后会有短信通知。",
            "我已经为您加急处理，退款今天就会打回您的银行卡。",
        ),
    ),
    _Topic(
        upset=(
            "账号突然登不上去了，验证码一直收不到，急死我了。",
            "我的账号被锁了，里面还有没用完的余额，你们赶紧给我解决！",
        ),
        calm=("你好，我想修改一下账号绑定的手机号。",),
        fixed=(
            "我已经为您重置了验证通道，您现在再试一下应该就能收到验证码了。",
            "已经为您解除了锁定，余额都在，建议您顺便修改一下密码。",
        ),
    ),
)

_GREETINGS = (
    "您好，很高兴为您服务，请问有什么可以帮您？",
    "您好，这里是客服中心，请问有什么可以帮到您？",
)
_APOLOGIES = (
    "非常抱歉给您带来不便，我马上帮您查一下。",
    "理解您的心情，真的很抱歉，我这边立刻为您处理。",
)
_CHECKS = (
    "请您提供一下登记的手机号码，我帮您核实一下。",
    "好的，我这边看一下系统记录，请您稍等。",
    "麻烦您说一下订单号或者账号，我帮您查询。",
)
_EXCUSES = (  # what an agent says who does not solve it
    "这个我们这边也没有办法，您只能再等等。",
    "系统就是这么规定的，我这里处理不了。",
    "这个需要其他部门处理，我只能帮您登记一下。",
)
_CLOSINGS = (
    "请问还有其他可以帮您的吗？感谢您的来电，祝您生活愉快。",
    "感谢您的耐心，后续有问题随时联系我们，再见。",
)

_UPSET_AGAIN = (
    "我已经等了很久了，你们效率太低了。",
    "上次也是这么说的，结果还是没解决。",
    "这种服务态度真的让人很不满意。",
    "我要投诉，你们必须给我一个说法。",
)
_NEUTRAL = (
    "嗯，那大概需要多长时间？",
    "我的手机号就是登记的那个。",
    "那我需要做什么吗？",
    "行，你帮我查一下吧。",
)
_EASING = (
    "那好吧，这次一定要处理好。",
    "嗯，这样还差不多。",
    "好的，这样处理可以。",
)
_PLEASED = (
    "好的，问题解决了，谢谢你的耐心帮助！",
    "非常感谢，你的服务很好。",
    "明白了，谢谢你解释得这么清楚。",
    "那太好了，麻烦你了，谢谢！",
)
_ANNOYED = (
    "算了，说了也没用，我还是要投诉。",
    "还是没解决，我对这个处理结果很不满意。",
    "你们这样我真的很失望，以后不会再用了。",
)

_COMMENTS = {
    "good": (
        "客服态度很好，问题很快就解决了。",
        "非常耐心，解释得很清楚，点赞！",
        "处理速度快，很满意。",
        "服务周到，谢谢！",
    ),
    "mixed": (
        "还行吧，就是等待时间有点长。",
        "问题解决了，但流程有点复杂。",
        "一般，希望下次能快一点。",
    ),
    "bad": (
        "等了很久才接通，问题也没解决。",
        "客服态度敷衍，很不满意。",
        "说好回电，结果一直没人联系我。",
        "反复打了几次电话才处理好，太麻烦了。",
    ),
}
_MEETING_COMMENTS = {
    "good": ("会议室准备得很周到，设备都提前调试好了。", "会务安排细致，辛苦了！"),
    "mixed": ("整体还可以，茶水准备得晚了一点。",),
    "bad": ("投影仪又出故障了，耽误了会议。", "会议室临时被占用，安排得太混乱了。"),
}
# Which scores read as good or bad, by survey kind; the rest are mixed.
_GOOD = {"csat": 4, "meeting": 4, "nps": 9, "ces": -2}  # ces: 2 or less (lower is better)
_BAD = {"csat": 2, "meeting": 2, "nps": 6, "ces": -5}  # ces: 5 or more


@dataclass(frozen=True)
class Turn:
    speaker: str  # agent or customer
    text: str
    start: float
    end: float


class Talk:
    """The words of the generated calls and surveys, from their own seeded generator."""

    def __init__(self, seed: int, transcript_share: float) -> None:
        self.rng = random.Random(f"{seed}/talk")
        self.share = transcript_share

    def transcript(self, csat_top2: float, talk_seconds: float) -> list[Turn]:
        """A call's turns, or none when this call was not transcribed."""
        if self.share <= 0 or self.rng.random() >= self.share:
            return []
        rng = self.rng
        edge = csat_top2 - _CSAT_CENTRE  # the agent's standing, about −0.1 to +0.1
        upset = rng.random() < _STARTS_UPSET
        if upset:
            content = rng.random() < _clip(0.55 + 3.5 * edge, 0.2, 0.9)
        else:
            content = rng.random() >= _clip(0.08 - 0.6 * edge, 0.02, 0.2)
        said = self._words(rng.choice(_TOPICS), upset, content, rng.randint(3, 6))
        return _timed(said, talk_seconds)

    def _words(
        self, topic: _Topic, upset: bool, content: bool, turns: int
    ) -> list[tuple[str, str]]:
        rng = self.rng
        said = [("agent", rng.choice(_GREETINGS))]
        said.append(("customer", rng.choice(topic.upset if upset else topic.calm)))
        for index in range(1, turns):
            last = index == turns - 1
            said.append(("agent", self._answer(topic, upset, content, last)))
            if last:
                said.append(("customer", rng.choice(_PLEASED if content else _ANNOYED)))
            elif upset and (not content or index == 1):
                said.append(("customer", rng.choice(_UPSET_AGAIN)))
            elif upset:
                said.append(("customer", rng.choice(_EASING)))
            else:
                said.append(("customer", rng.choice(_NEUTRAL)))
        said.append(("agent", rng.choice(_CLOSINGS)))
        return said

    def _answer(self, topic: _Topic, upset: bool, content: bool, last: bool) -> str:
        if last:
            return self.rng.choice(topic.fixed if content else _EXCUSES)
        if upset and self.rng.random() < 0.6:
            return self.rng.choice(_APOLOGIES if content else _APOLOGIES + _EXCUSES)
        return self.rng.choice(_CHECKS)

    def comment(self, kind: str, score: float) -> str:
        """A survey's comment, or "" (most customers leave none)."""
        if self.rng.random() >= 0.45:
            return ""
        value = -score if kind == "ces" else score
        mood = "good" if value >= _GOOD[kind] else "bad" if value <= _BAD[kind] else "mixed"
        bank = _MEETING_COMMENTS if kind == "meeting" else _COMMENTS
        return self.rng.choice(bank[mood])


def _timed(said: list[tuple[str, str]], talk_seconds: float) -> list[Turn]:
    """The turns at a speaking pace over the talk time; the time left over is the agent's
    looking things up, after each of the agent's turns but the greeting and the goodbye.
    A call too short for its words is spoken faster."""
    lengths = [len(text) / _SPEECH_CHARS_PER_SECOND for _speaker, text in said]
    room = 0.97 * talk_seconds - 0.4 * len(said)  # a short pause after each turn
    scale = min(1.0, max(room, 1.0) / sum(lengths))
    looks = [0 < i < len(said) - 1 and speaker == "agent" for i, (speaker, _t) in enumerate(said)]
    spare = max(0.0, room - sum(lengths)) / max(sum(looks), 1)
    turns, at = [], 0.0
    for (speaker, text), length, looking in zip(said, lengths, looks, strict=True):
        start, end = at, at + length * scale
        turns.append(Turn(speaker, text, round(start, 1), round(end, 1)))
        at = end + 0.4 * scale + (spare if looking else 0.0)
    return turns
