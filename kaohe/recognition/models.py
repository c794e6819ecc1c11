"""Instant recognition (即时奖励): a thank-you from one colleague to another, tied to a
company value or to an indicator of the person's scheme, and the company values HR keeps.

A thank-you is never edited: the person thanked chooses whether it shows on the wall, its
author may withdraw it for a short while, and the person's manager may confirm it once as
a positive incident, which then counts wherever positive incidents count.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kaohe.core import Lang
from kaohe.i18n import current_lang
from kaohe.incidents.models import Incident
from kaohe.org.models import Employee

NOTE_LIMIT = 280  # characters: a thank-you is a short note, not a review


class CompanyValue(models.Model):
    """One of the company's values (企业价值观), named in both languages."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name in Chinese"), max_length=80)
    name_en = models.CharField(_("name in English"), max_length=80)
    active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("company value")
        verbose_name_plural = _("company values")

    def __str__(self) -> str:
        return self.name_zh

    def name(self, lang: Lang | None = None) -> str:
        return self.name_zh if (lang or current_lang()) == "zh" else self.name_en


class Thanks(models.Model):
    author = models.ForeignKey(
        Employee, verbose_name=_("from"), on_delete=models.PROTECT, related_name="thanks_given"
    )
    recipient = models.ForeignKey(
        Employee, verbose_name=_("to"), on_delete=models.PROTECT, related_name="thanks_received"
    )
    note = models.CharField(_("note"), max_length=NOTE_LIMIT)
    # What it is for: a company value, or an indicator of the recipient's scheme (named in
    # both languages as it was when thanked, since schemes change).
    value = models.ForeignKey(
        CompanyValue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicator = models.CharField(_("indicator"), max_length=64, blank=True)
    dimension = models.CharField(_("dimension"), max_length=64, blank=True)
    indicator_zh = models.CharField(max_length=200, blank=True)
    indicator_en = models.CharField(max_length=200, blank=True)
    # The recipient's choice; shown unless they hide it.
    shown = models.BooleanField(_("shown on the wall"), default=True)
    created_at = models.DateTimeField(_("thanked at"), auto_now_add=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # The positive incident a manager's confirmation made; once only.
    incident = models.OneToOneField(
        Incident, null=True, blank=True, on_delete=models.SET_NULL, related_name="thanks"
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["recipient", "created_at"]),
        ]
        verbose_name = _("thank-you")
        verbose_name_plural = _("thank-yous")

    def __str__(self) -> str:
        return f"{self.author.name} → {self.recipient.name}"

    def tie_label(self, lang: Lang | None = None) -> str:
        """What the thank-you is for, in the reader's language."""
        lang = lang or current_lang()
        if self.value is not None:
            return self.value.name(lang)
        return (self.indicator_zh if lang == "zh" else self.indicator_en) or self.indicator

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
