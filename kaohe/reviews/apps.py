from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "kaohe.reviews"
    label = "reviews"
    verbose_name = _("360 reviews")

    audit_kinds: dict[str, Any] = {}

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {}
