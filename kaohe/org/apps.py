from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "kaohe.org"
    label = "org"
    verbose_name = _("Organisation")

    # How the audit log words this app's entries.
    audit_actions = {
        "employee.create": _("Person added"),
        "employee.update": _("Person changed"),
        "employee.deactivate": _("Person deactivated"),
        "employee.reactivate": _("Person reactivated"),
        "org.import": _("Organisation imported"),
        "account.temporary_password": _("Temporary password set"),
        "account.retire": _("Old account retired"),
        "access.grant": _("Role granted"),
        "access.revoke": _("Role revoked"),
    }
    audit_kinds = {"org.employee": _("Person"), "org.position": _("Position")}
    audit_fields = {"leaving_date": _("Leaving date"), "leaving_reason": _("Leaving reason")}

    @property
    def audit_values(self) -> dict[str, Any]:
        from .models import GrantRole, LeavingReason

        return {"role": dict(GrantRole.choices), "leaving_reason": dict(LeavingReason.choices)}
