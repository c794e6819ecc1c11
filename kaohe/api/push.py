"""``POST /api/v1/data/{source}``: operational records pushed by another system, checked and
imported exactly as a file is — all or nothing — and safe to retry with an
``Idempotency-Key``."""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from kaohe.data.actions import do_import_data
from kaohe.data.models import DataBatch
from kaohe.data.policy import may_import_data
from kaohe.data.pushes import claim_push, release_push, settle_push
from kaohe.i18n import current_lang
from kaohe.insights.sentiment import model_problem
from kaohe.metrics import SOURCES, ImportRefused, MetricsError
from kaohe.uploads import uploads_dir

from .auth import callers
from .errors import PROBLEM, problem
from .middleware import MAX_BODY_BYTES

router = Router(tags=["data"])
CHUNK = 1024 * 1024


class PushOut(Schema):
    batch: str | None  # "calls#12"; None when nothing was new, and nothing recorded
    rows_read: int
    new: int
    replaced: int
    unchanged: int
    rejected: int
    # The sentiment model that scored the records' texts (transcripts, survey comments);
    # null for a source without texts, and when the model is missing (see notes).
    sentiment_model: str | None = None
    notes: list[str] = Field(default_factory=list)  # e.g. that the texts went unscored, and why


@router.post(
    "/data/{source}",
    auth=callers(pushes_data=True),
    response={200: PushOut, 201: PushOut},
    summary="Push operational records: a CSV body or a JSON array, all or nothing",
    description="The records are checked exactly as an imported file is: every bad record "
    "is listed with its line (CSV) or index (JSON), field and reason, and nothing is "
    "written while any is bad. A record already in the lake unchanged changes nothing. With "
    "an Idempotency-Key header, a retry with the same key and body gets the first answer "
    "and writes nothing; the same key with another body is 409. At most 50 MB. Transcripts' "
    "turns and survey comments are scored for sentiment as they come in (`sentiment_model`); "
    "without the model file they are imported unscored and `notes` says so.",
    openapi_extra={
        "parameters": [
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "schema": {"type": "string", "maxLength": 200},
            }
        ],
        "requestBody": {
            "required": True,
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
            },
        },
    },
)
def push(request: HttpRequest, source: str) -> Any:
    if not may_import_data(request.user):
        raise PermissionDenied(_("Only HR for the whole organisation brings data into kaohe."))
    if source not in SOURCES:
        raise HttpError(404, _("No source “%(source)s”; sources: %(all)s.")
                        % {"source": source, "all": ", ".join(SOURCES)})  # fmt: skip
    kind = request.content_type or ""
    if kind not in ("text/csv", "application/json"):
        raise HttpError(415, _("Send the records as text/csv or application/json."))
    home = uploads_dir()
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home) as folder:
        body, digest = _received(request, Path(folder) / "body")
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key:
            return _imported(request, source, kind, body)
        if len(key) > 200:
            raise HttpError(400, _("An Idempotency-Key is at most 200 characters."))
        seen = claim_push(request.user, key, source, f"{source}:{digest}")
        if not seen.new:
            return _replayed(seen.push, f"{source}:{digest}")
        try:
            answer = _imported(request, source, kind, body)
        except BaseException:
            release_push(seen.push)
            raise
        settle_push(seen.push, answer.status_code, json.loads(answer.content))
        return answer


def _received(request: HttpRequest, path: Path) -> tuple[Path, str]:
    """The body, streamed to a file (never read whole into memory), and its digest."""
    digest, size = hashlib.sha256(), 0
    with path.open("wb") as kept:
        while chunk := request.read(CHUNK):
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise HttpError(413, _("A push is at most 50 MB; send the records in parts."))
            digest.update(chunk)
            kept.write(chunk)
    return path, digest.hexdigest()


def _replayed(push: Any, digest: str) -> HttpResponse:
    if push.body_digest != digest:
        raise HttpError(409, _("This Idempotency-Key was used for another push."))
    if push.status == 0:
        raise HttpError(409, _("A push with this Idempotency-Key is under way; retry later."))
    kind = PROBLEM if push.status >= 400 else "application/json"
    content = json.dumps(push.answer, ensure_ascii=False)
    response = HttpResponse(content, status=push.status, content_type=kind)
    response["Idempotent-Replayed"] = "true"
    return response


def _imported(request: HttpRequest, source: str, kind: str, body: Path) -> HttpResponse:
    json_body = kind == "application/json"
    path = _as_csv(body) if json_body else body.rename(body.with_suffix(".csv"))
    lang = current_lang()
    try:
        outcome = do_import_data(request.user, source, path, f"api-{source}.csv", lang=lang)
    except ImportRefused as refused:
        errors = [_row_problem(p, json_body, lang) for p in refused.problems]
        return problem(422, refused.text(lang), errors=errors, total=refused.total)
    except MetricsError as error:
        return problem(422, error.text(lang))
    counts = {
        "rows_read": outcome.rows_read, "new": outcome.accepted, "replaced": outcome.replaced,
        "unchanged": outcome.unchanged, "rejected": outcome.rejected,
        **_sentiment(source, outcome.sentiment_model),
    }  # fmt: skip
    if isinstance(outcome, DataBatch):
        answer = {"batch": f"{outcome.source}#{outcome.seq}", **counts}
        return _json(201, answer)
    return _json(200, {"batch": None, **counts})  # nothing new: nothing recorded


def _sentiment(source: str, model: str) -> dict[str, Any]:
    """Which model scored the texts; for a source of texts left unscored, why."""
    if SOURCES[source].scored is None:
        return {"sentiment_model": None, "notes": []}
    if model:
        return {"sentiment_model": model, "notes": []}
    problem = model_problem()
    return {"sentiment_model": None, "notes": [problem.text()] if problem else []}


def _json(status: int, answer: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(answer), status=status, content_type="application/json")


def _as_csv(body: Path) -> Path:
    """A JSON array of records as the CSV the importer reads; the header is every field
    named, in the order they first appear. Line n of the CSV is record n − 2."""
    try:
        records = json.loads(body.read_bytes())
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HttpError(400, _("The body is not JSON: %(error)s") % {"error": error}) from None
    if not isinstance(records, list):
        raise HttpError(400, _("Send a JSON array of records."))
    fields: dict[str, None] = {}
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise HttpError(400, _("Record %(index)d is not an object.") % {"index": index})
        fields.update(dict.fromkeys(record))
    path = body.with_suffix(".csv")
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(fields)
        for record in records:
            writer.writerow(["" if record.get(f) is None else record.get(f) for f in fields])
    return path


def _row_problem(found: Any, json_body: bool, lang: str) -> dict[str, Any]:
    where: dict[str, Any]
    if found.line is None:
        where = {}
    elif json_body:
        where = {"index": found.line - 2}
    else:
        where = {"line": found.line}
    return {**where, "field": found.field, "reason": found.reason(lang)}
