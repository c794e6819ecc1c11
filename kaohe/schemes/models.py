"""Schemes as stored versions, and the default scheme of each position.

A version a cycle uses is frozen: editing it makes a new version instead, so appraisals
keep scoring by exactly the rules they started with.
"""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.core import Scheme, load_text
from kaohe.i18n import current_lang
from kaohe.org.models import Department, Position


class SchemeVersion(models.Model):
    code = models.SlugField(_("scheme"), max_length=64)
    number = models.PositiveIntegerField(_("version"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    text = models.TextField(_("scheme text (YAML)"))
    builtin = models.BooleanField(_("built-in template"), default=False)
    # A cycle uses this version: editing it makes a new version instead.
    frozen = models.BooleanField(_("in use"), default=False)
    # Empty: a scheme for the whole organisation. Otherwise it belongs to these departments
    # (a department-scoped HR admin's own scheme), and only HR covering them may change it.
    departments = models.ManyToManyField(
        Department, blank=True, related_name="+", verbose_name=_("departments")
    )
    based_on = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["code", "number"], name="one_number_per_scheme")
        ]
        verbose_name = _("scheme version")
        verbose_name_plural = _("scheme versions")

    def __str__(self) -> str:
        return f"{self.code} v{self.number}"

    def scheme(self) -> Scheme:
        return _loaded(self.pk, self.text, str(self))

    @property
    def name(self) -> str:
        """The name in the reader's language."""
        return self.name_zh if current_lang() == "zh" else self.name_en

    def audit_snapshot(self) -> dict[str, object]:
        return {"version": str(self), "name": self.name_zh, "frozen": self.frozen}


@lru_cache(maxsize=256)
def _loaded(_pk: int, text: str, display: str) -> Scheme:
    # Keyed by text as well as id, so a version's scheme is parsed once per process.
    return load_text(text, display=display)


class DefaultScheme(models.Model):
    """The scheme a position is appraised with unless a cycle says otherwise."""

    position = models.OneToOneField(Position, on_delete=models.CASCADE, related_name="+")
    # Empty: HR decided that the position has no default scheme (it is not appraised
    # unless a cycle chooses one).
    code = models.SlugField(_("scheme"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("default scheme")
        verbose_name_plural = _("default schemes")
