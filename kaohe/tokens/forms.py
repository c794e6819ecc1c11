from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .actions import MAX_EXPIRY_DAYS
from .models import TokenScope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("access token", "Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or system that uses it."),
    )
    scope = forms.ChoiceField(
        label=pgettext_lazy("access token", "Scope"), choices=TokenScope.choices, initial="read"
    )
    expires_in_days = forms.IntegerField(
        label=_("Expires after (days)"),
        min_value=1,
        max_value=MAX_EXPIRY_DAYS,
        initial=90,
        required=False,
        help_text=_("Leave empty for a token that never expires."),
    )
