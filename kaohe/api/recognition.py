"""``/api/v1/``: instant recognition (即时奖励): thanking a colleague, the team wall, and a
manager's confirmation as a positive incident."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["recognition"])
