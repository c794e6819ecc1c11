"""Start-up checks an operator should see (``kaohe manage check``, and every start)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Warning, register


@register()
def site_url_is_set(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.SITE_URL_CONFIGURED or settings.DEBUG:
        return []
    return [
        Warning(
            f"KAOHE_SITE_URL is not set: links in notification mails point at {settings.SITE_URL}",
            hint="Set KAOHE_SITE_URL to the address people open kaohe at, e.g. "
            "https://kaohe.example.com",
            id="kaohe.W001",
        )
    ]
