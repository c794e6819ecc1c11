from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "kaohe.appraisals"
    label = "appraisals"
    verbose_name = _("Appraisals")

    def ready(self) -> None:
        from . import refresh  # noqa: F401  (connects the after-import refresh)
