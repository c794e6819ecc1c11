from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "kaohe.web"
    label = "web"
    verbose_name = _("Web interface")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the start-up checks)
