"""Schemathesis against a live kaohe: it reads the API's own OpenAPI document and sends each
operation examples it derives from it — valid and invalid — as HR for the whole
organisation and as an agent. No answer may be a server error, and every answer must be
the content type and shape the document promises.

Run once, on SQLite: what it checks is the API's contract, not the database.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kaohe.tokens.actions import do_create_token
from kaohe.tokens.models import TokenScope

CHECKS = ",".join([
    "not_a_server_error", "status_code_conformance", "content_type_conformance",
    "response_schema_conformance",
])  # fmt: skip
EXAMPLES = 15  # per operation, phase and caller: about a thousand requests for each caller


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    from kaohe.appraisals.demo import launch_demo_cycle
    from kaohe.demo import load_demo

    settings.API_REQUESTS_PER_MINUTE = 1_000_000  # the fuzzer is no abuser
    from kaohe.calibration.demo import open_demo_session

    load_demo()
    from kaohe.incidents.demo import demo_incidents

    demo_incidents(["2026-Q3"])  # before the reviews, which freeze the counts
    cycle = launch_demo_cycle()  # appraisals spread over the workflow's stages
    open_demo_session(cycle)
    from kaohe.development.demo import demo_development

    demo_development(cycle)
    return live_server.url


def fuzz(site: str, username: str, folder: Path) -> subprocess.CompletedProcess[str]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    owner = get_user_model().objects.get(username=username)
    secret = do_create_token(None, owner, "schemathesis", TokenScope.WRITE).secret
    reader = Client()
    reader.force_login(owner)  # the document is for people signed in, as the docs page
    document = folder / "openapi.json"
    document.write_bytes(reader.get("/api/v1/openapi.json").content)
    config = folder / "schemathesis.toml"
    config.write_text(known_things(owner))
    return subprocess.run(
        [
            sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
            str(document), "--url", site, "--header", f"Authorization: Bearer {secret}",
            "--checks", CHECKS, "--max-examples", str(EXAMPLES),
            "--generation-deterministic", "--workers", "1", "--no-color",
            "--report", "junit", "--report-junit-path", str(folder / "report.xml"),
        ],
        capture_output=True, text=True, cwd=folder, timeout=1200, check=False,
    )  # fmt: skip


def known_things(owner) -> str:
    """Identifiers of things that exist, which the fuzzer could not guess: without them
    most of what it sends to ``/appraisals/{id}`` would only meet a 404."""
    from kaohe.appraisals.models import Appraisal
    from kaohe.calibration.models import Session
    from kaohe.development.models import Plan, Proposal
    from kaohe.incidents.models import Incident, OneOnOne

    session = Session.objects.first()
    assert session is not None
    plan, proposal = Plan.objects.first(), Proposal.objects.first()
    incident = Incident.objects.filter(employee__user=owner).first() or Incident.objects.first()
    one = OneOnOne.objects.filter(employee__user=owner).first() or OneOnOne.objects.first()
    mine = Appraisal.objects.filter(employee__user=owner).first() or Appraisal.objects.first()
    assert mine is not None
    version = mine.version
    return "\n".join([
        "[parameters]",
        f'"path.appraisal_id" = {mine.pk}',
        f'"path.cycle_id" = {mine.cycle_id}',
        f'"path.session_id" = {session.pk}',
        f'"path.plan_id" = {plan.pk if plan else 1}',
        f'"path.proposal_id" = {proposal.pk if proposal else 1}',
        f'"path.incident_id" = {incident.pk if incident else 1}',
        f'"path.one_on_one_id" = {one.pk if one else 1}',
        f'"path.task_id" = "cycle-launch-{mine.cycle_id}"',
        '"path.source" = "calls"',
        "[[operations]]",
        'include-path = "/api/v1/employees/{number}"',
        f'parameters = {{ "path.number" = "{mine.employee.number}" }}',
        "[[operations]]",
        'include-path = "/api/v1/schemes/{code}/versions/{number}"',
        f'parameters = {{ "path.code" = "{version.code}", "path.number" = {version.number} }}',
        "",
    ])  # fmt: skip


@pytest.mark.parametrize("username", ["hr", "agent"])
def test_every_operation_answers_as_its_document_says(site, username, tmp_path):
    answered = fuzz(site, username, tmp_path)
    assert answered.returncode == 0, answered.stdout[-6000:] + answered.stderr[-2000:]
    document = json.loads((tmp_path / "openapi.json").read_text())
    operations = sum(len(methods) for methods in document["paths"].values())
    tested = re.search(r"Tested: (\d+)", answered.stdout)
    assert tested, answered.stdout[-3000:]
    assert int(tested.group(1)) == operations >= 19  # every operation, none left out
