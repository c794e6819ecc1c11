"""``{{ evidence|under_indicator:item.id }}``, ``{{ evidence|under_dimension:dimension.id }}``:
the incidents an appraisal page shows under an indicator or a dimension."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def under_indicator(evidence: Any, indicator_id: str) -> list[Any]:
    return evidence.for_indicator(indicator_id) if evidence is not None else []


@register.filter
def under_dimension(evidence: Any, dimension_id: str) -> list[Any]:
    return evidence.for_dimension(dimension_id) if evidence is not None else []
