"""Pagination shared by every list: ``?page=`` (from 1) and ``?page_size=`` (up to 500)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ninja import Field, Schema

MAX_PAGE_SIZE = 500
DEFAULT_PAGE_SIZE = 50


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="The page, from 1.")
    page_size: int = Field(
        DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page, up to 500."
    )


class Page[Item](Schema):
    count: int  # every item the filters match, on all pages
    page: int
    page_size: int
    pages: int
    results: list[Item]


def page_of(items: Any, query: PageQuery, rows: Callable[[list[Any]], list[Any]]) -> dict[str, Any]:
    """One page of ``items`` (anything with ``count()`` and slices, in order), made into the
    answer's rows by ``rows``. A page past the last is empty rather than an error, so that
    a loop reading pages simply stops."""
    count = items.count()
    start = (query.page - 1) * query.page_size
    chosen = list(items[start : start + query.page_size]) if start < count else []
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "pages": -(-count // query.page_size),
        "results": rows(chosen),
    }


def each(convert: Callable[[Any], Any]) -> Callable[[list[Any]], list[Any]]:
    """Rows made one item at a time."""
    return lambda chosen: [convert(item) for item in chosen]
