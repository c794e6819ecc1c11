from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API's endpoints. It keeps no records of its own: tokens belong to the
    tokens app, pushes and imports to the data app."""

    name = "kaohe.api"
    label = "api"
    verbose_name = _("API")
