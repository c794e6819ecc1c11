"""Personal access tokens for the API: only a digest of each is kept; the token itself is
shown once."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TokenScope(models.TextChoices):
    READ = "read", _("Read")  # GET only
    WRITE = "write", _("Read and write")  # every action the owner may take
    DATA = "data", _("Push operational data")  # the data push endpoints only


class AccessToken(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="access_tokens",
    )
    name = models.CharField(_("name"), max_length=100)
    scope = models.CharField(_("scope"), max_length=8, choices=TokenScope.choices)
    # The first characters of the token, shown in lists so that a person can tell theirs
    # apart; too few to guess the rest from.
    prefix = models.CharField(_("begins with"), max_length=12)
    digest = models.CharField(max_length=64, unique=True)  # SHA-256 of the whole token
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("access token")
        verbose_name_plural = _("access tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def usable_at(self, moment: datetime) -> bool:
        """Neither revoked nor expired at this moment, and its owner may still sign in."""
        if self.revoked_at is not None or not self.owner.is_active:
            return False
        return self.expires_at is None or moment < self.expires_at


class TokenMinute(models.Model):
    """How many requests a token made in one minute, for its rate limit. Only the current
    minute is kept: a new minute's row replaces the token's older ones."""

    token = models.ForeignKey(AccessToken, on_delete=models.CASCADE, related_name="+")
    minute = models.DateTimeField()
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["token", "minute"], name="one_count_per_minute")
        ]
