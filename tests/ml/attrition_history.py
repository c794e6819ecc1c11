"""A made-up organisation's monthly history for the attrition model's tests: people whose
chance of resigning each month rises with falling CSAT and negative incidents and falls
with tenure, each leaver replaced by a new hire. Seeded, so every run is the same."""

from __future__ import annotations

import math
import random
from datetime import date

from kaohe.ml.attrition import FeatureTable, Snapshot, months_after

FEATURES = ("tenure_months", "csat_falling_months", "negative_incidents_6m", "noise")
START = date(2024, 1, 31)


def history(
    people: int = 200, months: int = 24, seed: int = 1, horizon: int = 6, base: float = -4.2
) -> FeatureTable:
    rng = random.Random(seed)
    days = [months_after(START, m) for m in range(months)]
    last = days[-1]
    staff = [_newcomer(rng, f"P{i:04d}", rng.randrange(1, 96)) for i in range(people)]
    made = people
    lives: list[tuple[dict[str, object], list[tuple[date, dict[str, float]]], date | None]] = []
    for day in days:
        still = []
        for person in staff:
            values = _month(rng, person)
            person["rows"].append((day, values))
            risk = (
                base
                + 0.9 * values["csat_falling_months"]
                + 0.7 * values["negative_incidents_6m"]
                - 0.02 * values["tenure_months"]
            )
            if rng.random() < 1 / (1 + math.exp(-risk)):
                lives.append(
                    (person, person["rows"], months_after(day, rng.randrange(1, horizon + 1)))
                )
                made += 1
                still.append(_newcomer(rng, f"P{made:04d}", 0))
            else:
                still.append(person)
        staff = still
    lives += [(person, person["rows"], None) for person in staff]
    rows = []
    for person, snapshots, left_on in lives:
        for day, values in snapshots:
            if months_after(day, horizon) > last:
                left: bool | None = None  # the horizon has not passed: not known yet
            else:
                left = left_on is not None and day < left_on <= months_after(day, horizon)
            rows.append(Snapshot(str(person["id"]), day, values, left))
    return FeatureTable.of(FEATURES, rows)


def _newcomer(rng: random.Random, person: str, tenure: int) -> dict[str, object]:
    return {"id": person, "tenure": tenure, "falling": 0, "incidents": 0.0, "rows": []}


def _month(rng: random.Random, person: dict[str, object]) -> dict[str, float]:
    person["tenure"] = int(person["tenure"]) + 1  # type: ignore[call-overload]
    falling = int(person["falling"])  # type: ignore[call-overload]
    person["falling"] = falling + 1 if rng.random() < 0.35 else 0
    person["incidents"] = 0.6 * float(person["incidents"]) + (1 if rng.random() < 0.12 else 0)  # type: ignore[arg-type]
    return {
        "tenure_months": float(person["tenure"]),  # type: ignore[arg-type]
        "csat_falling_months": float(person["falling"]),  # type: ignore[arg-type]
        "negative_incidents_6m": round(float(person["incidents"]) * 2),  # type: ignore[arg-type]
        "noise": rng.gauss(0, 1),
    }
