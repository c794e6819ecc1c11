from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TokensConfig(AppConfig):
    name = "kaohe.tokens"
    label = "tokens"
    verbose_name = _("Access tokens")

    # How the audit log words this app's entries.
    audit_actions = {
        "token.create": _("Access token created"),
        "token.revoke": _("Access token revoked"),
    }
    audit_kinds = {"tokens.accesstoken": _("Access token")}

    @property
    def audit_values(self) -> dict[str, object]:
        from .models import TokenScope

        return {"scope": dict(TokenScope.choices)}
