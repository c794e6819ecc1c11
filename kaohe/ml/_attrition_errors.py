"""The attrition model's errors.

    AttritionError                 anything the model refuses
    ├── BadTable                   a feature table that does not hold together
    ├── ProtectedFeature           a feature named for a protected attribute (sex, age, …)
    └── ProxyFeature               a feature that predicts a protected attribute HR imported

Each carries a ``Text`` (Chinese and English) that names what is wrong, for the page.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaohe.core import Text


class AttritionError(Exception):
    def __init__(self, text: Text) -> None:
        super().__init__(text.en)
        self.text = text


class BadTable(AttritionError):
    pass


class ProtectedFeature(AttritionError):
    """The feature's name says it is (or stands for) a protected attribute."""

    def __init__(self, feature: str, attribute: str, attribute_text: Text) -> None:
        super().__init__(
            Text(
                f"特征「{feature}」属于受保护属性（{attribute_text.zh}），模型不得使用",
                f"the feature “{feature}” is a protected attribute ({attribute_text.en}) "
                "and the model may not use it",
            )
        )
        self.feature = feature
        self.attribute = attribute


@dataclass(frozen=True)
class ProxyFinding:
    """How well one feature on its own tells one group of a protected attribute from the
    rest: the AUC of the feature as a score for membership, folded so that 0.5 is "not
    at all" and 1 is "perfectly" whichever way the feature points."""

    feature: str
    attribute: str
    group: str
    auc: float


class ProxyFeature(AttritionError):
    """Features that act as proxies for a protected attribute; the strongest is named."""

    def __init__(self, found: list[ProxyFinding], threshold: float, attribute_text: Text) -> None:
        worst = max(found, key=lambda f: f.auc)
        auc = f"{worst.auc:.2f}"
        super().__init__(
            Text(
                f"特征「{worst.feature}」可替代受保护属性「{attribute_text.zh}」（区分「{worst.group}」"
                f"的 AUC 为 {auc}，超过上限 {threshold:.2f}），模型拒绝使用；请去掉该特征后再训练",
                f"the feature “{worst.feature}” acts as a proxy for the protected attribute "
                f"“{attribute_text.en}” (it tells “{worst.group}” apart with AUC {auc}, above the "
                f"limit of {threshold:.2f}); the model refuses it: leave it out and train again",
            )
        )
        self.feature = worst.feature
        self.attribute = worst.attribute
        self.found = sorted(found, key=lambda f: -f.auc)
