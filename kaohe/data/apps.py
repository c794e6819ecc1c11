from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    name = "kaohe.data"
    label = "data"
    verbose_name = _("Operational data")
