"""``/api/v1/``: dashboards per role: KPIs against targets, trends, distributions and
progress (read-only queries behind the policies)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["reports"])
