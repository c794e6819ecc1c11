"""What kaohe's OpenAPI document says beyond what ninja derives from the endpoints: the
problems each operation may answer, and an example request and answer for each.

The examples are real answers, recorded from the demo organisation by
``scripts/api_examples.py`` into ``openapi_examples.json`` (a test checks that each still
matches its schema), so that they never drift into something the API does not say.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from .errors import PROBLEM

EXAMPLES = Path(__file__).with_name("openapi_examples.json")

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An error, as RFC 9457 describes (application/problem+json).",
    "type": "object",
    "required": ["type", "status", "title", "detail"],
    "properties": {
        "type": {"type": "string"},
        "status": {"type": "integer"},
        "title": {"type": "string", "description": "The status, in the requested language."},
        "detail": {"type": "string", "description": "What went wrong, for a person to read."},
        "errors": {
            "type": "array",
            "description": "For a refused request or body: each field or record at fault.",
            "items": {
                "type": "object",
                "required": ["reason"],
                "properties": {
                    "field": {"type": ["string", "null"]},
                    "reason": {"type": "string"},
                    "line": {"type": "integer", "description": "A CSV body's line."},
                    "index": {"type": "integer", "description": "A JSON body's record."},
                },
            },
        },
        "total": {"type": "integer", "description": "Problems found, listed or not."},
    },
}

WHY = {
    400: "The body cannot be read: not UTF-8, not JSON, or not the records asked for.",
    401: "No valid session or token: missing, unknown, revoked or expired.",
    403: "The caller may not do this: a role or the token's scope does not allow it.",
    404: "Nothing here, or nothing the caller may see.",
    409: "Not now: the state does not allow it, or the Idempotency-Key is taken.",
    413: "The body is over 50 MB.",
    415: "The body is neither text/csv nor application/json.",
    422: "A parameter or field is invalid; errors names each.",
    429: "Too many requests this minute for the token; see Retry-After.",
}
CONFLICTS = (
    "/launch", "/actions/{action}", "/data/{source}", "/calibration/sessions", "/moves",
    "/potential", "/close", "/sessions/{session_id}/guideline", "/decision", "/plans",
    "/plans/{plan_id}", "/agree", "/check-ins", "/outcome", "/incidents/{incident_id}",
    "/response", "/incidents", "/one-on-ones", "/goals", "/goals/{goal_id}", "/reviews",
    "/nominations", "/decline", "/draft", "/submit",
    "/recognition/thanks", "/shown", "/withdraw", "/confirm",
    "/advice/proposals/{proposal_id}/accept", "/advice/proposals/{proposal_id}/reject",
    "/advice/flags/{flag_id}/end",
)  # fmt: skip


def problems_of(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    """The problem statuses this operation may answer besides those of every operation."""
    statuses = [401, 403, 429]
    if "{" in path:
        statuses.append(404)
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append(422)
    if operation.get("requestBody"):
        statuses.append(400)
    if method in ("post", "put", "patch", "delete") and path.endswith(CONFLICTS):
        statuses.append(409)
    if method == "post":
        statuses.append(413)
        if path.endswith("/data/{source}"):
            statuses.append(415)
    return sorted(statuses)


@cache
def recorded_examples() -> dict[str, dict[str, Any]]:
    return dict(json.loads(EXAMPLES.read_text(encoding="utf-8")))


def complete(document: dict[str, Any]) -> None:
    """Add every operation's problems and examples to the document."""
    document.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    examples = recorded_examples()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            responses = operation.setdefault("responses", {})
            for status in problems_of(path, method, operation):
                responses.setdefault(str(status), {
                    "description": WHY[status],
                    "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}},
                })  # fmt: skip
            _add_example(operation, examples.get(f"{method.upper()} {path}"))


def _add_example(operation: dict[str, Any], example: dict[str, Any] | None) -> None:
    if example is None:
        return
    responses = operation["responses"]  # ninja's keys are numbers, ours text
    answered = responses.get(example["status"]) or responses.get(str(example["status"]), {})
    for content in answered.get("content", {}).values():
        content["example"] = example["response"]
    if "request" in example:
        for kind, content in operation.get("requestBody", {}).get("content", {}).items():
            if kind == example.get("request_type", "application/json"):
                content["example"] = example["request"]
