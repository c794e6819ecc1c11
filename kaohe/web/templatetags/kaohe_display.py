"""Template filters wording figures and names for people: ``{{ result.total|total }}``,
``{{ label|colon }}``, ``{{ names|listed }}``, ``{{ user|named }}``."""

from django import template
from django.utils.translation import gettext

from kaohe import display
from kaohe.i18n import listed, with_colon
from kaohe.names import SYSTEM, person_name

register = template.Library()

for _name in ("points", "total", "money", "coefficient", "count", "figure"):
    register.filter(_name, getattr(display, _name))
register.filter("colon", with_colon)
register.filter("listed", listed)


@register.filter
def who(actor_name: object) -> str:
    """A recorded actor's name; the operator at the shell in the reader's language."""
    return gettext("the operator (command line)") if actor_name == SYSTEM else str(actor_name)


@register.filter
def named(user: object) -> str:
    """An account's holder by name (their employee name), as every page names people."""
    return person_name(user) if user is not None else display.NOTHING
