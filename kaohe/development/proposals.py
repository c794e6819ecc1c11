"""Proposing development when a result is locked: the receiver of the appraisals app's
``result_locked``, inside the step's own transaction."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from kaohe.appraisals.models import Result
from kaohe.appraisals.signals import result_locked

from .actions import propose_for


@receiver(result_locked, dispatch_uid="development-proposal")
def _propose(sender: Any, result: Result, actor: Any, **_more: Any) -> None:
    propose_for(result, actor)
