"""``/api/v1/incidents/…``."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["incidents"])
