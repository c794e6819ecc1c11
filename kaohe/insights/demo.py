"""The insights of the demo, after its cycles, thank-yous and badges: a saved what-if on the
last finished quarter, HR's look for weight signals, and an attrition model trained on a
generated year of history with leavers. Each is made once; a later start makes nothing."""

from __future__ import annotations

from kaohe.core import Text


def demo_insights() -> list[Text]:
    """What was made now, as the demo's start-up lines."""
    from .demo_advice import demo_advice
    from .demo_attrition import demo_attrition, summary_line
    from .demo_whatif import demo_line, demo_whatif

    lines = []
    saved = demo_whatif()
    if saved is not None:
        lines.append(demo_line(saved))
    looked = demo_advice()
    if looked is not None and looked.made:
        made, signals = len(looked.made), looked.signals
        lines.append(
            Text(
                f"已提出 {made} 项权重调整建议（发现 {signals} 个信号）",
                f"{made} weight proposal{'s' if made != 1 else ''} made from {signals} signals",
            )
        )
    trained = demo_attrition()
    if trained is not None:
        lines.append(Text(*summary_line(trained)))
    return lines
