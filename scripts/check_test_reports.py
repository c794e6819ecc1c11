"""Fail unless every test report exists, ran tests, skipped none and includes the browser
suite. CI uses this so that a skipped PostgreSQL or browser run can never pass quietly."""

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
    browser = sum(
        1 for case in root.iter("testcase") if "tests.browser" in case.get("classname", "")
    )
    problems = []
    if tests == 0:
        problems.append(f"{path}: no tests ran")
    if skipped:
        problems.append(f"{path}: {skipped} tests were skipped; CI allows none")
    if failed:
        problems.append(f"{path}: {failed} tests failed")
    if browser == 0:
        problems.append(f"{path}: the browser suite did not run")
    return problems


def main() -> None:
    problems = [problem for arg in sys.argv[1:] for problem in check(Path(arg))]
    for problem in problems:
        print(f"check-test-reports: {problem}", file=sys.stderr)
    if problems:
        sys.exit(1)
    print(f"check-test-reports: {len(sys.argv) - 1} reports complete, nothing skipped")


if __name__ == "__main__":
    main()
