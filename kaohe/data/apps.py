from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataConfig(AppConfig):
    name = "kaohe.data"
    label = "data"
    verbose_name = _("Operational data")

    # How the audit log words this app's entries.
    audit_actions = {"data.import": _("Data imported"), "calendar.set": _("Calendar day set")}
    audit_kinds = {"data.databatch": _("Data batch"), "data.calendarday": _("Calendar day")}
