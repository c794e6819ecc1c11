"""The scheme library: built-in templates as versions, the latest version of a scheme, and
the default scheme of each position."""

from __future__ import annotations

from django.db import transaction

from kaohe.core import builtin_names, flatten, load_scheme
from kaohe.org.models import Position, RoleFamily

from .models import DefaultScheme, SchemeVersion

# The template a role family is appraised with unless HR maps a position otherwise. The
# call-centre scheme fits no general manager or HR specialist: "other" positions have no
# default, and a cycle that includes them asks HR to choose.
FAMILY_DEFAULTS: dict[str, str | None] = {
    RoleFamily.CUSTOMER_SERVICE: "cs-agent",
    RoleFamily.ADMINISTRATION: "admin-staff",
    RoleFamily.TECHNICAL_SUPPORT: "tech-support",
    RoleFamily.DIRECTOR: "cs-director",
    RoleFamily.OTHER: None,
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
        latest = latest_version(name)
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


def latest_versions() -> dict[str, SchemeVersion]:
    """Each scheme's latest version, by code."""
    latest: dict[str, SchemeVersion] = {}
    for version in SchemeVersion.objects.order_by("code", "-number"):
        latest.setdefault(version.code, version)
    return latest


def default_codes() -> dict[int, str | None]:
    """Position id → the code of its default scheme (None: no default)."""
    mapped = dict(DefaultScheme.objects.values_list("position_id", "code"))
    return {
        position.pk: (mapped[position.pk] or None)
        if position.pk in mapped
        else FAMILY_DEFAULTS.get(position.family)
        for position in Position.objects.all()
    }


def default_version(position: Position) -> SchemeVersion | None:
    mapped = DefaultScheme.objects.filter(position=position).first()
    code = (mapped.code or None) if mapped else FAMILY_DEFAULTS.get(position.family)
    return None if code is None else latest_version(code)
