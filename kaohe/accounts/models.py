"""What kaohe keeps about an account beyond Django's user."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccountState(models.Model):
    """An account's standing: for now, whether its password must be changed before anything
    else (it was a temporary one that HR set and passed on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="account_state",
        verbose_name=_("account"),
    )
    must_change_password = models.BooleanField(_("must change password"), default=False)

    class Meta:
        verbose_name = _("account state")
        verbose_name_plural = _("account states")

    def __str__(self) -> str:
        return str(self.user)
