from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SchemesConfig(AppConfig):
    name = "kaohe.schemes"
    label = "schemes"
    verbose_name = _("Schemes")

    # How the audit log words this app's entries.
    audit_actions = {
        "scheme.save": _("Scheme saved"),
        "scheme.clone": _("Scheme cloned"),
        "scheme.default": _("Default scheme set"),
    }
    audit_kinds = {"schemes.schemeversion": _("Scheme")}

    def ready(self) -> None:
        # The built-in templates become scheme versions when the database is migrated, so
        # that no page has to import them on a GET.
        post_migrate.connect(_import_builtin_schemes, sender=self)


def _import_builtin_schemes(sender: object, **kwargs: object) -> None:
    from .library import import_builtin_schemes

    import_builtin_schemes()
