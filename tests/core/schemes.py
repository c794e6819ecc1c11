"""Small scheme files for tests, written into a temporary folder."""

from __future__ import annotations

import textwrap
from pathlib import Path

from kaohe.core import Scheme, load_scheme

SMART = """\
        smart:
          target: {zh: ≥ 90%, en: ≥ 90 %}
          data_source: {zh: 工单系统, en: ticket system}
          period: {zh: 月度, en: monthly}
"""

INPUTS = """\
inputs:
  rate: {kind: percent, name: {zh: 完成率, en: Completion rate}}
  level: {kind: level, name: {zh: 协调, en: Coordination}}
  hours: {kind: number, min: 0, unit: {zh: 小时, en: h}, name: {zh: 时长, en: Hours}}
  count: {kind: count, name: {zh: 次数, en: Events}}
"""


def one_indicator_scheme(
    rule: str,
    *,
    max_points: int = 20,
    smart: str = SMART,
    inputs: str = INPUTS,
    extra: str = "",
) -> str:
    """A scheme with one dimension of one indicator whose rule is ``rule`` (YAML)."""
    body = textwrap.indent(textwrap.dedent(rule).strip(), " " * 10)
    return (
        "id: test\n"
        "name: {zh: 测试, en: Test}\n"
        f"{inputs}"
        "dimensions:\n"
        "  - id: work\n"
        "    name: {zh: 业绩, en: Performance}\n"
        "    weight: 100\n"
        "    indicators:\n"
        "      - id: subject\n"
        "        name: {zh: 指标, en: Indicator}\n"
        f"        max_points: {max_points}\n"
        f"{smart}"
        "        rule:\n"
        f"{body}\n"
        f"{extra}"
    )


def write(tmp_path: Path, text: str, name: str = "scheme.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def load_text(tmp_path: Path, text: str, name: str = "scheme.yaml") -> Scheme:
    return load_scheme(write(tmp_path, text, name))


FIVE_LEVELS = """
kind: levels
input: level
levels:
  - {points: 4, anchor: {zh: 一, en: one}}
  - {points: 8, anchor: {zh: 二, en: two}}
  - {points: 12, anchor: {zh: 三, en: three}}
  - {points: 16, anchor: {zh: 四, en: four}}
  - {points: 20, anchor: {zh: 五, en: five}}
"""
