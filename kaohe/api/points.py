"""``/api/v1/``: points (积分) from HR's rules, leaderboards per team and centre, and the
badges (服务之星…) awarded by rules."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["points"])
