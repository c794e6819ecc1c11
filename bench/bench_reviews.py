"""Benchmark: aggregating 360 answers — 20,000 reviewees, 8 raters each, 10 questions.

Target (issue 12): under 5 s. Two figures: the anonymous aggregation alone (every shown
group, cell, comment, blind spot and the indicator's value for each reviewee), and, when
the database path: 20,000 closed reviews of a launched cycle (bench_cycle's organisation,
in a home of its own), their 160,000 anonymous answer rows read with
``kaohe.reviews.results.summaries_of`` and aggregated — what the input provider and the
lists do. ``--no-database`` skips the second. Medians of several rounds; the figures go in
docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

# This checkout's kaohe rather than whichever the virtualenv's editable install points at.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kaohe.analytics import GroupRule, ReviewResponse, summarise_reviews

QUESTIONS = tuple(f"q{n}" for n in range(1, 11))
RULES = (
    GroupRule("self", Decimal(0), named=True),
    GroupRule("manager", Decimal(40), named=True),
    GroupRule("peers", Decimal(30)),
    GroupRule("subordinates", Decimal(20)),
    GroupRule("partners", Decimal(10)),
)
# Eight raters: self, the manager, four peers, a subordinate and a partner (so that the
# two small groups pool into "others" or stay hidden, the costly paths).
GROUPS = ("self", "manager", "peers", "peers", "peers", "peers", "subordinates", "partners")
TARGET_SECONDS = 5.0


def reviewee(rng: random.Random) -> list[ReviewResponse]:
    def level() -> int | None:
        return None if rng.random() < 0.05 else rng.randint(2, 5)

    return [
        ReviewResponse(group, {q: level() for q in QUESTIONS}, rng.choice(["", "", "认真"]))
        for group in GROUPS
    ]


def aggregate(batch: list[list[ReviewResponse]]) -> None:
    for responses in batch:
        summary = summarise_reviews(responses, RULES, QUESTIONS)
        summary.value(QUESTIONS[:3], ("peers",))
        summary.value(QUESTIONS)


def build_reviews(rng: random.Random) -> list[int]:
    """A setup for every scheme version of the launched cycle, a closed review per
    appraisal and eight answers each; the reviews' ids."""
    from django.db import transaction

    from kaohe.appraisals.models import Appraisal
    from kaohe.reviews.models import Question, RaterGroup, Response, Review, ReviewSetup

    appraisals = list(Appraisal.objects.values_list("pk", "cycle_id", "employee_id", "version_id"))
    with transaction.atomic():
        setups = {}
        for version in sorted({row[3] for row in appraisals}):
            setup = ReviewSetup.objects.create(version_id=version)
            RaterGroup.objects.bulk_create(
                RaterGroup(setup=setup, group=r.group, weight=r.weight, score_threshold=3)
                for r in RULES
            )
            Question.objects.bulk_create(
                Question(setup=setup, order=n, key=q, text_zh=q, text_en=q)
                for n, q in enumerate(QUESTIONS)
            )
            setups[version] = setup.pk
        Review.objects.bulk_create(
            (
                Review(appraisal_id=pk, setup_id=setups[version], cycle_id=cycle,
                       reviewee_id=employee, state=Review.State.CLOSED, deadline="2026-10-10")
                for pk, cycle, employee, version in appraisals
            ),
            batch_size=2000,
        )  # fmt: skip
        ids = list(Review.objects.values_list("pk", flat=True))
        Response.objects.bulk_create(
            (
                Response(review_id=review, group=a.group, levels=dict(a.levels), comment=a.comment)
                for review in ids
                for a in reviewee(rng)
            ),
            batch_size=5000,
        )
    return ids


def database_rounds(repeat: int) -> tuple[list[float], int, int]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import bench_cycle as cycle  # the organisation and its helpers

    cycle.HOME = cycle.ROOT / "var" / "bench" / "reviews-home"
    if cycle.setup(20_000, reuse=True):
        cycle.launch_rounds(1)
        build_reviews(random.Random(360))
        (cycle.HOME / "built").touch()
    from kaohe.reviews.models import Response, Review
    from kaohe.reviews.results import summaries_of

    reviews = list(Review.objects.all())
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for summary in summaries_of(reviews).values():
            summary.value(QUESTIONS[:3], ("peers",))
        seconds.append(time.perf_counter() - started)
    return seconds, len(reviews), Response.objects.count()


def report(what: str, seconds: list[float]) -> None:
    median = statistics.median(seconds)
    print(
        f"{what}: median {median:.2f} s over {len(seconds)} rounds "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}); target < {TARGET_SECONDS:.0f} s "
        f"({median / TARGET_SECONDS:.2f}× the limit)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviewees", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-database", action="store_true")
    args = parser.parse_args()
    rng = random.Random(2026)
    batch = [reviewee(rng) for _ in range(args.reviewees)]
    answers = args.reviewees * len(GROUPS) * len(QUESTIONS)
    seconds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        aggregate(batch)
        seconds.append(time.perf_counter() - started)
    report(f"360 aggregation alone: {args.reviewees:,} reviewees, {answers:,} answers", seconds)
    if not args.no_database:
        seconds, reviews, rows = database_rounds(args.repeat)
        report(f"360 from the database: {reviews:,} reviews, {rows:,} answer rows", seconds)


if __name__ == "__main__":
    main()
