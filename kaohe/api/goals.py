"""``/api/v1/goals/…``."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["goals"])
