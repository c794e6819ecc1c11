"""``/api/v1/schemes``: the scheme library as HR sees it, each version as structured data,
the linter's findings for a scheme sent in, and a sample person scored by it (the scheme
form's preview)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from kaohe.core import InputError, result_data, score
from kaohe.i18n import current_lang
from kaohe.org.policy import access_for
from kaohe.schemes import policy
from kaohe.schemes.findings import check_text
from kaohe.schemes.form.preview import sample_values
from kaohe.schemes.library import latest_versions
from kaohe.schemes.models import SchemeVersion

from .auth import callers

router = Router(tags=["schemes"])
MAX_SCHEME_BYTES = 1_000_000


class SchemeOut(Schema):
    code: str
    name: str  # in the requested language
    latest_version: int
    versions: int
    builtin: bool
    in_use: bool  # the latest version is used by a cycle (editing it makes a new version)
    departments: list[str]  # empty: for the whole organisation


class VersionOut(Schema):
    code: str
    number: int
    name_zh: str
    name_en: str
    builtin: bool
    in_use: bool
    departments: list[str]
    created_at: datetime
    definition: dict[str, Any]  # the scheme as data, in the format of docs/schemes.md
    text: str  # the same, as the YAML text the scheme editor shows


class FindingOut(Schema):
    severity: str  # error or warning
    where: str  # the indicator, dimension or line, in the requested language
    message: str


class LintOut(Schema):
    valid: bool  # no errors (warnings allowed): the scheme could be saved and used
    findings: list[FindingOut]


def _departments(version: SchemeVersion) -> list[str]:
    return sorted(department.path for department in version.departments.all())


def _library_access(request: HttpRequest) -> Any:
    access = access_for(request)
    if not policy.can_open_library(access):
        raise PermissionDenied(_("Only HR opens the scheme library."))
    return access


@router.get("/schemes", response=list[SchemeOut], summary="The schemes the caller may use")
def schemes(request: HttpRequest) -> Any:
    access = _library_access(request)
    counts = dict(SchemeVersion.objects.values_list("code").annotate(n=Count("id")))
    return [
        SchemeOut(
            code=version.code,
            name=version.name,
            latest_version=version.number,
            versions=counts[version.code],
            builtin=version.builtin,
            in_use=version.frozen,
            departments=_departments(version),
        )
        for version in latest_versions().values()
        if policy.can_use(access, version)
    ]


@router.get(
    "/schemes/{code}/versions/{number}",
    response=VersionOut,
    summary="One version of a scheme, as structured data",
)
def scheme_version(request: HttpRequest, code: str, number: int) -> Any:
    access = _library_access(request)
    version = SchemeVersion.objects.filter(code=code, number=number).first()
    if version is None or not policy.can_use(access, version):
        raise Http404
    return VersionOut(
        code=version.code,
        number=version.number,
        name_zh=version.name_zh,
        name_en=version.name_en,
        builtin=version.builtin,
        in_use=version.frozen,
        departments=_departments(version),
        created_at=version.created_at,
        definition=yaml.safe_load(version.text),
        text=version.text,
    )


@router.post(
    "/schemes/lint",
    response=LintOut,
    auth=callers(changes_nothing=True),
    summary="Check a scheme: the linter's errors and warnings",
    description="The body is a scheme in YAML or JSON (the format of docs/schemes.md), sent "
    "as application/yaml, application/json or text/plain. Nothing is saved. A read token "
    "may call it.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                media: {"schema": {"type": "string"}, "example": "name: …\ndimensions: …"}
                for media in ("application/yaml", "application/json", "text/plain")
            },
        }
    },
)
def lint_scheme(request: HttpRequest) -> Any:
    _library_access(request)
    if len(request.body) > MAX_SCHEME_BYTES:
        raise HttpError(413, _("A scheme is at most 1 MB."))
    try:
        text = request.body.decode("utf-8")
    except UnicodeDecodeError:
        raise HttpError(400, _("Send the scheme as UTF-8 text.")) from None
    _scheme, findings = check_text(text, _("this scheme"))
    return LintOut(
        valid=not any(f["severity"] == "error" for f in findings),
        findings=[FindingOut(**finding) for finding in findings],
    )


class PreviewIn(Schema):
    text: str  # a scheme in YAML or JSON, the format of docs/schemes.md
    # Input values of a sample person, by input name; numbers or numeric strings. Inputs
    # left out take the made-up values the scheme form starts from; an empty string
    # leaves the input missing.
    values: dict[str, float | int | str] = {}


class PreviewOut(Schema):
    valid: bool  # no errors (warnings allowed)
    findings: list[FindingOut]
    values: dict[str, str]  # the values scored, by input
    # The score as result_data gives it (numbers as full-precision strings, text in the
    # requested language); null when the scheme does not load.
    result: dict[str, Any] | None


PREVIEW_EXAMPLE = {
    "text": "id: demo\nname: {zh: 示例, en: Example}\ninputs:\n  csat: {kind: percent, name: "
    "{zh: 满意率, en: CSAT}}\ndimensions:\n  - id: service\n    name: {zh: 服务, en: Service}\n"
    "    weight: 100\n    indicators:\n      - id: csat\n        name: {zh: 满意率, en: CSAT}\n"
    "        max_points: 10\n        rule: {kind: linear, input: csat, floor: 70, target: 95, "
    "points: 10}\n",
    "values": {"csat": 90},
}


@router.post(
    "/schemes/preview",
    response=PreviewOut,
    auth=callers(changes_nothing=True),
    summary="Score a sample person by a scheme that is not saved",
    description="What the scheme form's preview shows: the linter's findings for the text and "
    "the score the core gives the values sent (points per indicator, total, grade). Nothing "
    "is saved. A read token may call it.",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"$ref": "#/components/schemas/PreviewIn"},
                    "example": PREVIEW_EXAMPLE,
                }
            },
        }
    },
)
def preview_scheme(request: HttpRequest, body: PreviewIn) -> Any:
    _library_access(request)
    if len(body.text.encode("utf-8")) > MAX_SCHEME_BYTES:
        raise HttpError(413, _("A scheme is at most 1 MB."))
    scheme, findings = check_text(body.text, _("this scheme"))
    valid = not any(f["severity"] == "error" for f in findings)
    out = PreviewOut(valid=valid, findings=[FindingOut(**f) for f in findings], values={},
                     result=None)  # fmt: skip
    if scheme is None:
        return out
    values = sample_values(scheme)
    unknown = sorted(set(body.values) - set(scheme.inputs))
    if unknown:
        raise HttpError(400, _("The scheme reads no input called %(name)s.") % {"name": unknown[0]})
    values.update({name: str(value).strip() for name, value in body.values.items()})
    try:
        result = score(scheme, values)
    except InputError as error:
        raise HttpError(400, error.message(current_lang())) from None
    out.values, out.result = values, result_data(result, current_lang())
    return out
