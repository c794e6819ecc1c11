"""Listing appraisals a page at a time, in the order every list shows them."""

from __future__ import annotations

from functools import cached_property

from django.db.models import Count, Exists, OuterRef, QuerySet

from kaohe.org.models import Employee

from .models import Appraisal, Cycle


class NewestCycleFirst:
    """The ids of these appraisals, the newest cycle first and by employee number within a
    cycle, as the paginator counts and slices them.

    Sorting every appraisal to show fifty costs a pass over all of them on each request
    (some 10 ms at 20,000 on SQLite). Instead the appraisals are counted by cycle, and a
    page is read within its cycle along the employee-number index, employee by employee,
    which stops at the end of the page. When the appraisals are sparse among the employees
    (a manager's team, a rare state) that walk would pass many people for each row; then
    the cycle's few appraisals are sorted instead. Two cycles created in the same
    microsecond would list one after the other rather than interleaved by number.
    """

    def __init__(self, appraisals: QuerySet[Appraisal]) -> None:
        self.appraisals = appraisals.order_by()

    @cached_property
    def _cycles(self) -> list[tuple[int, int]]:
        """(cycle id, number of these appraisals in it), the newest cycle first."""
        counts = dict(self.appraisals.values_list("cycle_id").annotate(n=Count("pk")))
        newest_first = Cycle.objects.filter(pk__in=list(counts)).order_by("-created_at", "-pk")
        return [(pk, counts[pk]) for pk in newest_first.values_list("pk", flat=True)]

    def count(self) -> int:
        return sum(n for _cycle, n in self._cycles)

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start or 0, window.stop
        assert stop is not None and window.step is None, "the paginator asks for a page"
        ids: list[int] = []
        for cycle_id, count in self._cycles:
            if start < count and stop > 0:
                ids += self._in_cycle(cycle_id, count, start, min(stop, count))
            start, stop = max(0, start - count), stop - count
        return ids

    def _in_cycle(self, cycle_id: int, count: int, start: int, stop: int) -> list[int]:
        in_cycle = self.appraisals.filter(cycle_id=cycle_id)
        # The walk passes about stop × employees / count people; measured on SQLite, it
        # pays while they are no more than the cycle's appraisals, which a sort reads.
        if stop * Employee.objects.count() > count * count:
            by_number = in_cycle.order_by("employee__number")
            return list(by_number.values_list("pk", flat=True)[start:stop])
        has_one = Exists(in_cycle.filter(employee_id=OuterRef("pk")))
        people = list(
            Employee.objects.filter(has_one)
            .order_by("number")
            .values_list("pk", flat=True)[start:stop]
        )
        # One appraisal per person and cycle: the people found name the appraisals.
        mapped = Appraisal.objects.filter(cycle_id=cycle_id, employee_id__in=people).order_by()
        found = dict(mapped.values_list("employee_id", "pk"))
        return [found[person] for person in people if person in found]
