"""What the attrition model may never learn from.

Two checks. By name: a feature whose name says sex, age, marital or childbirth status,
ethnicity, religion, health or hukou (in English or Chinese, in snake_case, camelCase or
words) is refused whatever it holds. By behaviour, where HR has imported those
attributes: a feature that on its own tells one group of an attribute from the rest too
well — the AUC of the feature as a score for membership above ``PROXY_AUC`` — acts as a
proxy for it and is refused too. Both raise, naming the feature and the attribute.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import numpy as np

from kaohe.core import Text

from ._attrition_errors import ProtectedFeature, ProxyFeature, ProxyFinding
from ._attrition_table import FeatureTable

# The protected attributes, by the codes HR imports them under.
PROTECTED: dict[str, Text] = {
    "sex": Text("性别", "sex"),
    "age": Text("年龄", "age"),
    "marital_status": Text("婚姻状况", "marital status"),
    "childbirth": Text("生育状况", "childbirth status"),
    "ethnicity": Text("民族", "ethnicity"),
    "religion": Text("宗教信仰", "religion"),
    "health": Text("健康状况", "health"),
    "hukou": Text("户籍", "hukou"),
}

# Words (whole words of the name) and Chinese fragments that name each attribute.
_WORDS: dict[str, set[str]] = {
    "sex": {"sex", "gender", "female", "male", "woman", "women", "man", "men"},
    "age": {"age", "ages", "aged", "birth", "birthday", "birthdate", "born", "dob",
            "over18", "retirement"},
    "marital_status": {"marital", "married", "marriage", "spouse", "wife", "husband",
                       "divorced", "single", "widowed"},
    "childbirth": {"childbirth", "pregnancy", "pregnant", "maternity", "paternity",
                   "child", "children", "kids", "baby", "parental"},
    "ethnicity": {"ethnicity", "ethnic", "race", "racial", "nationality", "minority"},
    "religion": {"religion", "religious", "faith", "belief", "church", "muslim"},
    "health": {"health", "disability", "disabled", "illness", "sick", "sickness",
               "disease", "diagnosis"},
    "hukou": {"hukou", "domicile", "household", "registration", "native", "origin"},
}  # fmt: skip
_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "sex": ("性别", "男女"),
    "age": ("年龄", "出生", "生日", "岁"),
    "marital_status": ("婚",),
    "childbirth": ("生育", "怀孕", "孕", "产假", "子女", "育儿"),
    "ethnicity": ("民族", "种族"),
    "religion": ("宗教", "信仰"),
    "health": ("健康", "残疾", "病", "体检"),
    "hukou": ("户口", "户籍", "籍贯", "原籍"),
}

# A single feature that separates a group from the rest with an AUC above this acts as a
# proxy. 0.5 is chance; 0.7 is the usual threshold for "acceptable" discrimination, so a
# feature that would be an acceptable classifier of someone's sex or age band is refused.
PROXY_AUC = 0.70
# Groups smaller than this (or whose complement is) are not tested: an AUC on a handful
# of people says little, and those few are better protected by not being singled out.
PROXY_MIN_GROUP = 10


def _words(name: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def protected_attribute_named(feature: str) -> str | None:
    """The protected attribute a feature's name says it is, if any."""
    words = set(_words(feature))
    for attribute, named in _WORDS.items():
        if words & named or any(part in feature for part in _FRAGMENTS[attribute]):
            return attribute
    return None


def refuse_protected_names(features: Iterable[str]) -> None:
    for feature in features:
        attribute = protected_attribute_named(feature)
        if attribute is not None:
            raise ProtectedFeature(feature, attribute, PROTECTED[attribute])


def proxy_findings(
    table: FeatureTable, attributes: Mapping[str, Mapping[str, str]]
) -> list[ProxyFinding]:
    """For every feature and attribute, the group the feature tells apart best, with its
    folded AUC; only groups of at least ``PROXY_MIN_GROUP`` people either side."""
    found: list[ProxyFinding] = []
    matrix = table.matrix()
    people = [row.person for row in table.rows]
    for attribute, groups_of in sorted(attributes.items()):
        known = np.array([p in groups_of for p in people])
        group_of = np.array([groups_of.get(p, "") for p in people])
        for j, feature in enumerate(table.features):
            best = _best_group(matrix[:, j], known, group_of, people)
            if best is not None:
                found.append(ProxyFinding(feature, attribute, best[0], best[1]))
    return found


def _best_group(
    column: np.ndarray, known: np.ndarray, group_of: np.ndarray, people: list[str]
) -> tuple[str, float] | None:
    from sklearn.metrics import roc_auc_score  # here: scikit-learn costs seconds to import

    usable = known & ~np.isnan(column)
    if not usable.any():
        return None
    values, groups = column[usable], group_of[usable]
    persons = np.array(people)[usable]
    best: tuple[str, float] | None = None
    for group in sorted(set(groups.tolist())):
        inside = groups == group
        size, rest = len(set(persons[inside])), len(set(persons[~inside]))
        if size < PROXY_MIN_GROUP or rest < PROXY_MIN_GROUP or np.ptp(values) == 0:
            continue
        auc = float(roc_auc_score(inside.astype(int), values))
        folded = max(auc, 1 - auc)
        if best is None or folded > best[1]:
            best = (str(group), folded)
    return best


def refuse_proxies(
    table: FeatureTable, attributes: Mapping[str, Mapping[str, str]]
) -> list[ProxyFinding]:
    """Every finding; raises ProxyFeature when any reaches ``PROXY_AUC``."""
    found = proxy_findings(table, attributes)
    proxies = [f for f in found if f.auc > PROXY_AUC]
    if proxies:
        worst = max(proxies, key=lambda f: f.auc)
        raise ProxyFeature(
            proxies,
            PROXY_AUC,
            PROTECTED.get(worst.attribute, Text(worst.attribute, worst.attribute)),
        )
    return found
