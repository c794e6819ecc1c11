"""Fail unless every test report exists, ran tests, skipped none and includes the browser
suite, and the PostgreSQL report the Celery and contract suites. CI uses this so that a
skipped PostgreSQL, browser, Celery or contract run can never pass quietly."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def check(path: Path) -> list[str]:
    if not path.is_file():
        return [f"{path}: missing — that test run did not happen"]
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    tests = sum(int(s.get("tests", 0)) for s in suites)
    skipped = sum(int(s.get("skipped", 0)) for s in suites)
    failed = sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)
    suites_run = {case.get("classname", "") for case in root.iter("testcase")}
    problems = []
    if tests == 0:
        problems.append(f"{path}: no tests ran")
    if skipped:
        problems.append(f"{path}: {skipped} tests were skipped; CI allows none")
    if failed:
        problems.append(f"{path}: {failed} tests failed")
    for suite in required_suites(path):
        if not any(suite in name for name in suites_run):
            problems.append(f"{path}: the {suite} suite did not run")
    return problems


def required_suites(path: Path) -> list[str]:
    """Every run drives the browser; the PostgreSQL run also has Redis and Celery, the
    pushes made at once from several threads, and the OpenAPI contract."""
    on_postgres = ["tests.celery", "tests.web.test_it_api_push_concurrently", "tests.contract"]
    return ["tests.browser", *(on_postgres if "postgres" in path.name else [])]


def main() -> None:
    problems = [problem for arg in sys.argv[1:] for problem in check(Path(arg))]
    for problem in problems:
        print(f"check-test-reports: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"check-test-reports: {len(sys.argv) - 1} reports complete, nothing skipped")


if __name__ == "__main__":
    main()
