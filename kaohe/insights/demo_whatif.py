"""The demo's saved what-if: HR tries, on the last finished quarter, an agent scheme that
weighs capability (the QA pass rate and first-contact resolution) more — performance 50 %,
capability 30 %, attitude 20 % — and pays grade A 1.3, and saves it. Through the real
action, so that it is audited like any other.

Run after the demo's cycles exist (``launch_history_cycle``): ``demo_whatif()``; the line
the demo prints: ``demo_line(saved)``.
"""

from __future__ import annotations

import yaml
from django.contrib.auth import get_user_model
from django.utils import translation

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.core import Text, edit_yaml
from kaohe.schemes.form.ops import grades_data

from .actions import SaveWhatIf, do_save_whatif
from .models import SavedWhatIf

NAME = "能力权重提至 30%，A 档系数 1.3"
CYCLE = "2026年第二季度绩效考核"  # the demo's last finished quarter
SCHEME = "cs-agent"
WEIGHTS = {"performance": 50, "capability": 30, "attitude": 20}


def demo_whatif() -> SavedWhatIf | None:
    """The saved what-if, when made now; None when it is there already or the demo has
    no finished quarter (``kaohe demo --no-data``)."""
    cycle = Cycle.objects.filter(name=CYCLE).first()
    if cycle is None or SavedWhatIf.objects.filter(name=NAME).exists():
        return None
    under = (
        Appraisal.objects.filter(cycle=cycle, version__code=SCHEME)
        .select_related("version")
        .first()
    )
    if under is None:
        return None
    version = under.version
    hr = get_user_model().objects.get(username="hr")
    with translation.override("zh-hans"):
        return do_save_whatif(hr, SaveWhatIf(NAME, cycle.pk, version.pk, changed(version.text)))


def changed(text: str) -> str:
    """The scheme's text with the demo's change, the rest of it left as it is written."""
    data = yaml.safe_load(text)
    for dimension in data["dimensions"]:
        dimension["weight"] = WEIGHTS.get(dimension["id"], dimension["weight"])
    data["grades"] = data.get("grades") or grades_data()  # the standard ones, written out
    data["grades"][0]["coefficient"] = 1.3
    return edit_yaml(text, data)


def demo_line(saved: SavedWhatIf) -> Text:
    """What ``kaohe demo`` says of it."""
    summary = saved.summary
    people, up, down = summary.get("changed", 0), summary.get("up", 0), summary.get("down", 0)
    return Text(
        f"已保存假设分析「{saved.name}」：{people} 人按调整后的方案重算，"
        f"{up} 人升档、{down} 人降档",
        f"what-if “{saved.name}” saved: {people} people scored again, {up} up a grade and "
        f"{down} down",
    )
