"""The OpenAPI document: every operation with a summary, its answers' problems, and an
example request and answer that are real answers of the demo (recorded by
``scripts/api_examples.py``) and still match the schemas the document gives."""

from __future__ import annotations

import json

import jsonschema_rs
import pytest

from kaohe.api.v1 import api
from kaohe.tokens.models import TokenScope


@pytest.fixture(scope="module")
def document():
    return json.loads(json.dumps(api.get_openapi_schema()))


def operations(document):
    return [(path, method, operation) for path, methods in document["paths"].items()
            for method, operation in methods.items()]  # fmt: skip


def validator(document, schema):
    """A validator of ``schema`` whose references reach the document's components."""
    return jsonschema_rs.validator_for({**schema, "components": document["components"]})


def successes(operation):
    """The contents of the operation's 2xx answers: JSON, or a file's type."""
    answers = operation["responses"].items()
    return [
        content
        for code, found in answers
        if code[0] == "2"
        for content in found.get("content", {}).values()
    ]


def test_every_operation_is_summarised_and_names_its_problems(document):
    for path, method, operation in operations(document):
        assert operation.get("summary"), (method, path)
        for status in ("401", "403", "429"):
            problem = operation["responses"][status]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}, (path, status)
        assert ("404" in operation["responses"]) == ("{" in path), (method, path)


def test_every_operation_has_an_example_answer_that_matches_its_schema(document):
    for path, method, operation in operations(document):
        examples = [content for content in successes(operation) if "example" in content]
        assert examples, f"{method.upper()} {path}: no example"
        for content in examples:
            checked = validator(document, content["schema"])
            errors = [error.message for error in checked.iter_errors(content["example"])]
            assert not errors, (method, path, errors[:3])


def test_every_body_has_an_example_request_that_matches_its_schema(document):
    for path, method, operation in operations(document):
        for kind, content in operation.get("requestBody", {}).get("content", {}).items():
            if kind == "application/json" and "example" in content:
                checked = validator(document, content["schema"])
                assert checked.is_valid(content["example"]), (method, path)
        kinds = operation.get("requestBody", {}).get("content", {})
        assert not kinds or any("example" in content for content in kinds.values()), path


def test_problems_answered_match_the_documented_problem(org, api_for, document):
    check = validator(document, {"$ref": "#/components/schemas/Problem"})
    hr = api_for("alice", TokenScope.WRITE)
    answers = [
        hr.get("/api/v1/appraisals/999999"),  # 404
        hr.post("/api/v1/cycles", {"period": "2026-Q9"}, content_type="application/json"),
        api_for("ann").get("/api/v1/audit"),  # 403
        hr.post("/api/v1/data/calls", "[1, 2]", content_type="application/json"),  # 400
        hr.post("/api/v1/cycles", "\x00{", content_type="application/json"),  # 400
    ]
    assert [answer.status_code for answer in answers] == [404, 422, 403, 400, 400]
    assert answers[-1].json()["detail"] == "请求内容无法按 JSON 读取。"  # not ninja's English
    for answer in answers:
        assert answer["Content-Type"] == "application/problem+json"
        assert check.is_valid(answer.json()), answer.json()


def test_no_two_schemas_share_a_name():
    """The document keys schemas by class name: two of one name would replace each other."""
    import ast
    from collections import Counter
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "kaohe" / "api"
    names = Counter(
        node.name
        for path in folder.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ClassDef)
    )
    assert [name for name, count in names.items() if count > 1] == []
