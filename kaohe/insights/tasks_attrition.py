"""The attrition model's training, in the background: building three years of monthly
snapshots and fitting two models takes longer than a web request may. The page polls the
model's record for its status."""

from __future__ import annotations

from django.tasks import task

from .models import AttritionModel


@task()
def train_attrition_model(model_id: int) -> str:
    """Train the queued model as the HR admin who asked for it; its status at the end."""
    from .actions_attrition import do_train_attrition_model

    run = AttritionModel.objects.select_related("requested_by").get(pk=model_id)
    return str(do_train_attrition_model(run.requested_by, run.pk).status)
