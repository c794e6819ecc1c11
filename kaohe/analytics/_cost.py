"""What pay would cost if a distribution guideline were met exactly.

The people are ranked by their total, best first, and the places the guideline gives each
grade are filled in grade order (A first); each person is then paid their base pay Q times
the coefficient of the grade their place falls in, rounded as the core rounds pay. Ties in
the total keep the order given, so that the same input always costs the same.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from kaohe.core import GradeScale


def cost_if_met(
    people: Sequence[tuple[Decimal, Decimal]],
    places: Mapping[str, int],
    scale: GradeScale,
) -> Decimal:
    """Σ pay for ``people`` — (total, base pay Q) each — graded by ``places`` per grade."""
    ranked = sorted(range(len(people)), key=lambda i: -people[i][0])
    grades = [band for band in scale.bands for _seat in range(places.get(band.grade, 0))]
    cost = Decimal(0)
    for seat, index in enumerate(ranked):
        band = grades[seat] if seat < len(grades) else scale.bands[-1]
        cost += scale.pay(band, people[index][1])
    return cost
