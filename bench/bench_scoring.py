"""Benchmark: director-scheme scoring with trace, appraisals per second on one core.

Target (issue 2): ≥ 20,000 per second, so that a 20,000-person organisation is rescored in
about a second after every data import. Reports the median of several rounds, because these
machines are noisy; the figures go in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal

from kaohe.core import load_scheme, score

RATES = (
    "process_completion_rate",
    "info_utilization_rate",
    "key_account_revisit_rate",
    "csat",
    "complaint_response_2h_rate",
    "complaint_resolved_3wd_rate",
    "complaint_resolution_rate",
)
LEVELS = ("coordination", "professionalism", "customer_focus", "service_detail")
TARGET_PER_SECOND = 20_000


def appraisal_values(rng: random.Random) -> dict[str, object]:
    """Plausible raw values as they arrive from the metric engine and managers' ratings."""
    values: dict[str, object] = {name: round(rng.uniform(70, 100), 1) for name in RATES}
    values.update({name: rng.randint(1, 5) for name in LEVELS})
    return values


def rounds(work: Callable[[], None], count: int, repeat: int) -> list[float]:
    """Per-round throughput in items per second."""
    speeds = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        speeds.append(count / (time.perf_counter() - started))
    return speeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--appraisals", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    scheme = load_scheme("cs-director")
    rng = random.Random(2026)
    batch = [appraisal_values(rng) for _ in range(args.appraisals)]
    base_pay = Decimal(12000)

    def score_all() -> None:
        for values in batch:
            score(scheme, values, base_pay)

    def score_and_explain_all() -> None:
        for values in batch:
            result = score(scheme, values, base_pay)
            for indicator in result.indicators:
                indicator.explanation()

    score_all()  # warm up
    plain = rounds(score_all, len(batch), args.repeat)
    explained = rounds(score_and_explain_all, len(batch), max(3, args.repeat // 2))
    median = statistics.median(plain)
    print(f"director scheme, {len(batch):,} appraisals, {args.repeat} rounds, one core")
    print(
        f"  score with trace:                median {median:,.0f}/s "
        f"(min {min(plain):,.0f}, max {max(plain):,.0f})"
    )
    print(f"  score and word every explanation: median {statistics.median(explained):,.0f}/s")
    print(f"  20,000 appraisals rescored in {20_000 / median:.2f} s")
    ratio = median / TARGET_PER_SECOND
    verdict = "meets" if ratio >= 1 else "MISSES"
    print(f"  target {TARGET_PER_SECOND:,}/s: {verdict} ({ratio:.2f}× the target)")


if __name__ == "__main__":
    main()
