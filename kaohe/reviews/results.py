"""What a review shows: its progress while it runs, and once closed the summary the pure
aggregation makes (``kaohe.analytics.summarise_reviews``).

This module is the only reader of the anonymous responses, and it hands them straight to the
aggregation: every figure on a page, in the CSV export or the API comes from the summary,
never from the responses themselves — no totals, no counts per hidden group, no overall mean.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kaohe.analytics import GroupRule, ReviewResponse, ReviewSummary, summarise_reviews
from kaohe.core import FeedSource, Scheme, round_half_up
from kaohe.i18n import current_lang

from .models import (
    Assignment,
    CustomerLink,
    Question,
    RaterGroup,
    Response,
    Review,
    group_label,
)

ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")


def fed_mean(value: Decimal) -> str:
    """What an indicator reads, to two decimals as the appraisal shows it, so that a mean
    just under a tier's limit (4.49 against ≥ 4.5) never reads as the limit."""
    return f"{round_half_up(value, TWO_PLACES):.2f}"


def mean(value: Decimal) -> str:
    """A mean on the 1–5 scale as people read it: one decimal."""
    return f"{round_half_up(value, ONE_PLACE):.1f}"


@dataclass(frozen=True)
class Progress:
    answered: int
    asked: int


def progress(review: Review) -> Progress:
    """Answered of asked, over every group and the customers' links together: one count,
    so that no small group's progress can be watched."""
    asked = review.assignments.filter(status=Assignment.Status.ASKED)
    links = review.customer_links.all()
    return Progress(
        asked.filter(answered=True).count() + links.exclude(used_on=None).count(),
        asked.count() + links.count(),
    )


def progress_of_each(reviews: list[Review]) -> dict[int, Progress]:
    """``progress`` for many reviews in two queries, for the lists."""
    ids = [review.pk for review in reviews]
    found = {pk: [0, 0] for pk in ids}
    counted = [
        Assignment.objects.filter(review_id__in=ids, status=Assignment.Status.ASKED)
        .values("review_id")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(answered=True))),
        CustomerLink.objects.filter(review_id__in=ids)
        .values("review_id")
        .annotate(asked=Count("id"), answered=Count("id", filter=Q(used_on__isnull=False))),
    ]
    for rows in counted:
        for row in rows.order_by():
            found[row["review_id"]][0] += row["answered"]
            found[row["review_id"]][1] += row["asked"]
    return {pk: Progress(answered, asked) for pk, (answered, asked) in found.items()}


def summary_of(review: Review) -> ReviewSummary:
    return summaries_of([review])[review.pk]


def summaries_of(reviews: Iterable[Review]) -> dict[int, ReviewSummary]:
    """The summaries of many reviews, with one query per setup and a few for the answers:
    what the input provider, the lists and the benchmark read at 20,000 reviewees."""
    reviews = list(reviews)
    setups = {review.setup_id for review in reviews}
    rules = {setup: _rules(setup) for setup in setups}
    questions = {setup: _questions(setup) for setup in setups}
    answers: dict[int, list[ReviewResponse]] = {review.pk: [] for review in reviews}
    ids = list(answers)
    for start in range(0, len(ids), _CHUNK):
        for review_id, group, levels, comment in _answer_rows(ids[start : start + _CHUNK]):
            answers[review_id].append(ReviewResponse(group, levels, comment))
    summaries = {}
    for review in reviews:
        known = {rule.group for rule in rules[review.setup_id]}
        given = [answer for answer in answers[review.pk] if answer.group in known]
        summaries[review.pk] = summarise_reviews(
            given, rules[review.setup_id], questions[review.setup_id]
        )
    return summaries


_CHUNK = 900  # reviews per query: below SQLite's limit on a query's parameters


def _answer_rows(review_ids: list[int]) -> Iterator[tuple[int, str, dict[str, Any], str]]:
    """The answers of these reviews as plain rows, read with one query and decoded here:
    at 160,000 rows the ORM's per-row conversion costs more than the aggregation."""
    quote = connection.ops.quote_name
    table = quote(Response._meta.db_table)
    columns = ", ".join(quote(c) for c in ("review_id", "group", "levels", "comment"))
    marks = ", ".join(["%s"] * len(review_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {table} WHERE {quote('review_id')} IN ({marks})", review_ids
        )
        for review_id, group, levels, comment in cursor.fetchall():
            yield (
                review_id,
                group,
                levels if isinstance(levels, dict) else json.loads(levels),
                comment,
            )


def _rules(setup_id: int) -> list[GroupRule]:
    return [
        GroupRule(g.group, g.weight, g.score_threshold, g.comment_threshold, g.named)
        for g in RaterGroup.objects.filter(setup_id=setup_id).order_by("id")
    ]


def _questions(setup_id: int) -> list[str]:
    return list(Question.objects.filter(setup_id=setup_id).values_list("key", flat=True))


def questions_feeding(scheme: Scheme, questions: list[Question], name: str) -> list[str]:
    """The keys of the questions tied to an input: by its name, or by an indicator whose
    rule reads it."""
    indicators = {i.id for i in scheme.indicators() if name in i.inputs}
    return [q.key for q in questions if q.feeds and (q.feeds == name or q.feeds in indicators)]


@dataclass(frozen=True)
class Fed:
    """A review-fed input's value, as the appraisal's indicator reads it."""

    input: str
    label: str
    value: Decimal | None
    counted: tuple[str, ...]  # group keys (a group, or "others")
    responses: int  # the answers of the counted groups


def fed_inputs(review: Review, summary: ReviewSummary) -> list[Fed]:
    scheme = review.setup.version.scheme()
    questions = list(review.setup.questions.all())
    lang = current_lang()
    found = []
    for name, spec in scheme.inputs.items():
        if spec.feed is None or spec.feed.source is not FeedSource.REVIEWS:
            continue
        keys = questions_feeding(scheme, questions, name)
        aggregate = summary.value(keys, spec.feed.keys) if keys else None
        label = spec.label(lang)
        if aggregate is None:
            found.append(Fed(name, label or name, None, (), 0))
            continue
        answers = sum(g.responses for g in summary.shown if g.key in aggregate.counted)
        found.append(Fed(name, label or name, aggregate.value, aggregate.counted, answers))
    return found


def shown_label(summary: ReviewSummary, key: str) -> str:
    group = summary.group(key)
    if key == "others" and group is not None:
        names = [group_label(m) for m in group.members]
        joined = "、".join(names) if current_lang() == "zh" else ", ".join(names)
        return _("others (merged: %(groups)s)") % {"groups": joined}
    return group_label(key)


@dataclass
class Results:
    """The released results in the reader's language: exactly the summary's content."""

    questions: list[tuple[str, str]]  # key, text
    columns: list[tuple[str, str, int]]  # group key, label, responses
    rows: list[tuple[str, list[tuple[str, int] | None]]]  # question text, cell per column
    blind_spots: list[dict[str, Any]]
    comments: list[tuple[str, list[str]]]  # group label, comments
    hidden: list[str]  # group labels
    fed: list[dict[str, Any]]
    no_answers: bool = field(default=False)


def results_of(review: Review) -> Results:
    summary = summary_of(review)
    questions = [(q.key, q.text) for q in review.setup.questions.all()]
    texts = dict(questions)
    columns = [(g.key, shown_label(summary, g.key), g.responses) for g in summary.shown]
    rows = []
    for key, text in questions:
        cells: list[tuple[str, int] | None] = []
        for group in summary.shown:
            cell = group.cells.get(key)
            cells.append((mean(cell.mean), cell.count) if cell else None)
        rows.append((text, cells))
    spots = [
        {"question": texts.get(s.question, s.question), "self": s.self_level,
         "others": mean(s.others_mean), "gap": mean(s.gap), "self_higher": s.self_higher}
        for s in summary.blind_spots
    ]  # fmt: skip
    comments = [
        (shown_label(summary, g.key), list(g.comments))
        for g in summary.shown
        if g.comments_shown and g.comments
    ]
    fed = [
        {"input": f.input, "label": f.label,
         "value": fed_mean(f.value) if f.value is not None else None,
         "counted": [shown_label(summary, k) for k in f.counted], "responses": f.responses}
        for f in fed_inputs(review, summary)
    ]  # fmt: skip
    return Results(
        questions, columns, rows, spots, comments,
        [group_label(g) for g in summary.hidden], fed,
        no_answers=not summary.shown and not summary.hidden,
    )  # fmt: skip


def results_data(review: Review) -> dict[str, Any]:
    """The results as the API gives them: the page's content, keyed."""
    summary = summary_of(review)
    texts = {q.key: q.text for q in review.setup.questions.all()}
    return {
        "groups": [
            {"group": g.key, "label": shown_label(summary, g.key), "members": list(g.members),
             "responses": g.responses,
             "cells": [{"question": q, "mean": mean(c.mean), "count": c.count}
                       for q, c in g.cells.items()],
             "comments": list(g.comments) if g.comments_shown else []}
            for g in summary.shown
        ],
        "hidden": [{"group": h, "label": group_label(h)} for h in summary.hidden],
        "blind_spots": [
            {"question": s.question, "text": texts.get(s.question, s.question),
             "own": s.self_level, "others": mean(s.others_mean), "gap": mean(s.gap)}
            for s in summary.blind_spots
        ],
        "inputs": [
            {"input": f.input, "label": f.label,
             "value": fed_mean(f.value) if f.value is not None else None,
             "counted": list(f.counted), "responses": f.responses}
            for f in fed_inputs(review, summary)
        ],
    }  # fmt: skip


def results_csv_rows(review: Review) -> list[list[str]]:
    """The CSV HR exports: the same aggregated content, one row per shown figure."""
    results = results_of(review)
    rows = [["section", "group", "question", "mean", "count"]]
    for text, cells in results.rows:
        for (_key, label, _responses), cell in zip(results.columns, cells, strict=True):
            if cell is not None:
                rows.append(["score", label, text, cell[0], str(cell[1])])
    for spot in results.blind_spots:
        rows.append(["blind_spot", "self", spot["question"], spot["gap"], ""])
    for label, comments in results.comments:
        rows += [["comment", label, comment, "", ""] for comment in comments]
    for label in results.hidden:
        rows.append(["hidden", label, "", "", ""])
    for fed in results.fed:
        rows.append(["input", "、".join(fed["counted"]), fed["label"], fed["value"] or "",
                     str(fed["responses"])])  # fmt: skip
    return rows
