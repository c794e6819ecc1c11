"""The scheme library in the database: built-in templates as versions, position defaults."""

from __future__ import annotations

from django.db import transaction

from kaohe.core import builtin_names, flatten, load_scheme
from kaohe.org.models import Position, RoleFamily

from .models import DefaultScheme, SchemeVersion

# Which template a role family is appraised with unless HR maps a position otherwise.
FAMILY_DEFAULTS = {
    RoleFamily.CUSTOMER_SERVICE: "cs-agent",
    RoleFamily.ADMINISTRATION: "admin-staff",
    RoleFamily.TECHNICAL_SUPPORT: "tech-support",
    RoleFamily.DIRECTOR: "cs-director",
    RoleFamily.OTHER: "cs-agent",
}


@transaction.atomic
def import_builtin_schemes() -> list[SchemeVersion]:
    """Each concrete built-in template as a version; a template whose text changed since
    (a newer kaohe) becomes a new version. Returns the versions made."""
    made = []
    for name in builtin_names():
        scheme = load_scheme(name)
        if scheme.abstract:
            continue
        text = flatten(name)
        latest = SchemeVersion.objects.filter(code=name).order_by("-number").first()
        if latest is not None and latest.text == text:
            continue
        made.append(
            SchemeVersion.objects.create(
                code=name,
                number=1 if latest is None else latest.number + 1,
                name_zh=scheme.name.zh,
                name_en=scheme.name.en,
                text=text,
                builtin=True,
            )
        )
    return made


def latest_version(code: str) -> SchemeVersion | None:
    return SchemeVersion.objects.filter(code=code).order_by("-number").first()


def default_version(position: Position) -> SchemeVersion | None:
    mapped = DefaultScheme.objects.filter(position=position).first()
    code = mapped.code if mapped else FAMILY_DEFAULTS.get(RoleFamily(position.family), "cs-agent")
    return latest_version(code)
