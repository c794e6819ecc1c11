"""The built-in badges (seed 000 §五) and the default point rules the demo starts from.

服务之星 reads the complaints laid at an agent's calls (``complaints_converted``: complaint
tickets traced to the agent's answered calls) as the complaints upheld against them.
"""

from __future__ import annotations

from typing import Any

BUILTIN_BADGES: list[dict[str, Any]] = [
    {
        "code": "service-star",
        "name_zh": "服务之星",
        "name_en": "Service Star",
        "description_zh": "当月团队中客户满意度均分最高，至少 30 份问卷，且没有成立的投诉",
        "description_en": "The best CSAT in the team this month, with at least 30 surveys "
        "and no complaint upheld",
        "metric": "csat_mean",
        "comparison": "best",
        "min_volume": 30,
        "guard_metric": "complaints_converted",
        "guard_at_most": 0,
        "period_kind": "month",
    },
    {
        "code": "fcr-ace",
        "name_zh": "首解达人",
        "name_en": "First-Contact Ace",
        "description_zh": "当月团队中首次解决率最高，至少 100 通接听",
        "description_en": "The best first-contact resolution in the team this month, "
        "with at least 100 answered calls",
        "metric": "fcr_rate",
        "comparison": "best",
        "min_volume": 100,
        "period_kind": "month",
    },
    {
        "code": "zero-complaints",
        "name_zh": "零投诉",
        "name_en": "Zero Complaints",
        "description_zh": "当月没有一通电话转为投诉，至少 200 通接听",
        "description_en": "No call turned into a complaint this month, with at least "
        "200 answered calls",
        "metric": "complaint_conversion_rate",
        "comparison": "at_most",
        "threshold": 0,
        "min_volume": 200,
        "period_kind": "month",
    },
    {
        "code": "rising-star",
        "name_zh": "进步之星",
        "name_en": "Rising Star",
        "description_zh": "团队中满意度均分比上月提升最多，两个月各至少 30 份问卷",
        "description_en": "The largest CSAT improvement in the team over last month, "
        "with at least 30 surveys in each",
        "metric": "csat_mean",
        "comparison": "most_improved",
        "min_volume": 30,
        "period_kind": "month",
    },
]

DEFAULT_RULES: dict[str, int] = {
    "top_tier": 10,
    "positive_incident": 5,
    "commendation": 8,
    "goal_completed": 20,
    "badge": 15,
}


def ensure_builtin_badges(badge_model: Any) -> int:
    """Create the built-in badges that are missing; those HR has changed stay as they are."""
    made = 0
    for spec in BUILTIN_BADGES:
        _badge, created = badge_model.objects.get_or_create(
            code=spec["code"], defaults={**spec, "builtin": True}
        )
        made += created
    return made
