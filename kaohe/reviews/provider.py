"""360 reviews as an input provider: an input with ``feed: reviews`` (or ``reviews:GROUP,…``)
reads the aggregate of the questions tied to it, from the appraisal's closed review only.
No closed review, or no shown group for those questions: no value (the scheme's ``missing``
policy decides)."""

from __future__ import annotations

from collections.abc import Sequence

from kaohe.analytics import ReviewSummary
from kaohe.appraisals.inputs import Value, chunks, fed_by
from kaohe.appraisals.models import Appraisal
from kaohe.core import REVIEW_GROUPS, FeedSource, Scheme

from .models import Review
from .results import fed_inputs, summaries_of, summary_of

FROM_REVIEWS = "reviews"


def _names(keys: tuple[str, ...], summary_members: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    zh, en = [], []
    for key in keys:
        members = summary_members.get(key, (key,))
        if key == "others":
            zh.append("其他（合并：" + "、".join(REVIEW_GROUPS[m].zh for m in members) + "）")
            en.append("others (merged: " + ", ".join(REVIEW_GROUPS[m].en for m in members) + ")")
        else:
            zh.append(REVIEW_GROUPS[key].zh)
            en.append(REVIEW_GROUPS[key].en)
    return "、".join(zh), ", ".join(en)


class ReviewProvider:
    def live(self, appraisal: Appraisal, scheme: Scheme) -> dict[str, Value]:
        if not fed_by(scheme, FeedSource.REVIEWS):
            return {}
        review = (
            Review.objects.filter(appraisal=appraisal, state=Review.State.CLOSED)
            .select_related("setup__version")
            .first()
        )
        if review is None:
            return {}
        return _values(review, summary_of(review), scheme)

    def live_many(
        self, appraisals: Sequence[Appraisal], scheme: Scheme
    ) -> dict[int, dict[str, Value]]:
        """``live`` for many: the closed reviews found and summarised a chunk at a time."""
        if not fed_by(scheme, FeedSource.REVIEWS):
            return {}
        found = {}
        for chosen in chunks([appraisal.pk for appraisal in appraisals]):
            reviews = list(
                Review.objects.filter(appraisal_id__in=chosen, state=Review.State.CLOSED)
                .select_related("setup__version")
                .prefetch_related("setup__questions")
            )
            summaries = summaries_of(reviews)
            for review in reviews:
                found[review.appraisal_id] = _values(review, summaries[review.pk], scheme)
        return found


def _values(review: Review, summary: ReviewSummary, scheme: Scheme) -> dict[str, Value]:
    members = {g.key: g.members for g in summary.shown}
    found = {}
    for fed in fed_inputs(review, summary):
        if fed.value is None or fed.input not in scheme.inputs:
            continue
        zh, en = _names(fed.counted, members)
        found[fed.input] = Value(
            fed.value,
            FROM_REVIEWS,
            {
                "review": review.pk,
                "groups": list(fed.counted),
                "answers": fed.responses,
                "detail": {
                    "zh": f"360 度评估：计入 {zh}，共 {fed.responses} 份回答",
                    "en": f"360 review: {en} counted, {fed.responses} answers",
                },
            },
        )
    return found
