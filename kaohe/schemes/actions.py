"""Writes to the scheme library: save a version, clone a scheme, set position defaults.

Each takes the actor, asks the policy, writes the audit row and commits in one transaction.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kaohe.audit.models import record
from kaohe.core import Scheme, SchemeError, has_errors, lint, load_text
from kaohe.i18n import current_lang
from kaohe.org.models import Position
from kaohe.org.policy import access_for

from . import policy
from .library import default_codes
from .models import DefaultScheme, SchemeVersion

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class SchemeRefused(Exception):
    """A save or clone refused for a reason the user can act on; worded for them."""


def outline(scheme: Scheme) -> dict[str, object]:
    """What the audit log keeps of a scheme: its dimensions, weights and indicators."""
    return {
        "scheme_name": scheme.name.zh,
        "dimensions": {d.id: f"{d.weight}% · {len(d.indicators)}" for d in scheme.dimensions},
    }


def do_save_scheme(actor: Any, version: SchemeVersion, text: str) -> SchemeVersion:
    """Save the text as this version, or as a new version when this one is a built-in
    template or used by a cycle. Refused while the text has errors."""
    if not policy.can_edit(access_for(actor), version):
        raise PermissionDenied
    try:
        scheme = load_text(text, display=str(version))
    except SchemeError as error:
        raise SchemeRefused(error.message(current_lang())) from None
    if has_errors(lint(scheme)):
        raise SchemeRefused(_("Not saved: fix the errors listed first."))
    with transaction.atomic(durable=True):
        before = outline(version.scheme())
        if version.frozen or version.builtin:
            saved = _new_version(actor, version, text, scheme)
        else:
            version.text, version.name_zh, version.name_en = text, scheme.name.zh, scheme.name.en
            version.save()
            saved = version
        record(
            actor, "scheme.save", saved,
            before={"version": str(version), **before},
            after={"version": str(saved), **outline(scheme)},
        )  # fmt: skip
    return saved


def _new_version(actor: Any, version: SchemeVersion, text: str, scheme: Scheme) -> SchemeVersion:
    latest = SchemeVersion.objects.filter(code=version.code).aggregate(Max("number"))
    saved = SchemeVersion.objects.create(
        code=version.code, number=latest["number__max"] + 1, name_zh=scheme.name.zh,
        name_en=scheme.name.en, text=text, based_on=version, created_by=actor,
    )  # fmt: skip
    saved.departments.set(version.departments.all())
    return saved


def do_clone_scheme(actor: Any, version: SchemeVersion, code: str) -> SchemeVersion:
    """A copy under a new code, version 1, belonging to the actor's departments."""
    access = access_for(actor)
    if not policy.can_use(access, version):
        raise PermissionDenied
    code = code.strip().lower()
    if not CODE.match(code):
        raise SchemeRefused(
            _("A scheme code is 2–63 lowercase letters, digits and hyphens, e.g. cs-agent-hq.")
        )
    if SchemeVersion.objects.filter(code=code).exists():
        raise SchemeRefused(_("There is already a scheme called %(code)s.") % {"code": code})
    data = yaml.safe_load(version.text)
    data["id"] = code
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    with transaction.atomic(durable=True):
        clone = SchemeVersion.objects.create(
            code=code, number=1, name_zh=version.name_zh, name_en=version.name_en, text=text,
            based_on=version, created_by=actor,
        )  # fmt: skip
        clone.departments.set(policy.departments_for_new_scheme(access))
        record(actor, "scheme.clone", clone, after={"from": str(version), "version": str(clone)})
    return clone


def do_set_default_schemes(actor: Any, choices: Mapping[Position, str | None]) -> int:
    """Set each position's default scheme (None: no default); returns how many changed.
    Refused whole when any position or scheme is beyond the actor."""
    access = access_for(actor)
    latest = {v.code: v for v in SchemeVersion.objects.order_by("code", "-number")}
    for position, code in choices.items():
        if not policy.can_set_default(access, position):
            raise PermissionDenied
        if code is not None and (code not in latest or not policy.can_use(access, latest[code])):
            raise SchemeRefused(_("There is no scheme called %(code)s.") % {"code": code})
    current = default_codes()
    changed = {p: c for p, c in choices.items() if current.get(p.pk) != c}
    with transaction.atomic(durable=True):
        for position, code in changed.items():
            DefaultScheme.objects.update_or_create(position=position, defaults={"code": code or ""})
            record(
                actor, "scheme.default", position,
                before={"scheme": current.get(position.pk)}, after={"scheme": code},
            )  # fmt: skip
    return len(changed)
