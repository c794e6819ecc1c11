from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "kaohe.incidents"
    label = "incidents"
    verbose_name = _("Critical incidents")

    audit_kinds: dict[str, Any] = {}

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {}

    def ready(self) -> None:
        from kaohe.appraisals.inputs import register

        from .provider import IncidentProvider

        register(IncidentProvider())
