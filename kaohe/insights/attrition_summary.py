"""A trained attrition model as the database keeps it (JSON the pages and the API read)
and the worded figures the pages show from it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kaohe.i18n import current_lang
from kaohe.ml.attrition import PROTECTED, Assessment, AttributeGap, TrainedModel, feature_name

from .attrition_features import FEATURES


def summary_of(
    model: TrainedModel, left_out: list[str], attributes: dict[str, int]
) -> dict[str, Any]:
    """What the model's page shows; ``attributes`` counts the people per imported one."""
    split = model.split
    return {
        "features": list(model.features),
        "left_out": left_out,
        "horizon_months": model.horizon_months,
        "library": model.library,
        "base_rate": model.base_rate,
        "split": {
            "train_from": split.train_months[0].isoformat(),
            "train_to": split.train_months[1].isoformat(),
            "validation_from": split.validation_months[0].isoformat(),
            "validation_to": split.validation_months[1].isoformat(),
            "train_rows": split.train_rows,
            "train_leavers": split.train_leavers,
            "validation_rows": split.validation_rows,
            "validation_leavers": split.validation_leavers,
        },
        "validations": [
            {
                "model": v.model,
                "auc": v.auc,
                "brier": v.brier,
                "bins": [
                    {
                        "low": b.low,
                        "high": b.high,
                        "count": b.count,
                        "predicted": b.predicted,
                        "observed": b.observed,
                    }
                    for b in v.bins
                ],
            }
            for v in model.validations
        ],
        "coefficients": model.coefficients,
        "proxy_checks": [
            {"feature": c.feature, "attribute": c.attribute, "auc": c.auc}
            for c in model.proxy_checks
        ],
        "attributes_imported": attributes,
    }


def fairness_of(report: tuple[AttributeGap, ...]) -> list[dict[str, Any]]:
    return [
        {
            "attribute": gap.attribute,
            "groups": [{"group": g.group, "size": g.size, "mean": g.mean} for g in gap.groups],
            "ratio": gap.ratio,
            "gap": gap.gap,
            "note": {"zh": gap.note.zh, "en": gap.note.en} if gap.note else None,
        }
        for gap in report
    ]


def factors_of(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {"feature": f.feature, "value": f.value, "contribution": f.contribution,
         "zh": f.text.zh, "en": f.text.en}
        for f in assessment.factors
    ]  # fmt: skip


# --- worded for the pages and the API --------------------------------------------------------


def percent(share: float | None, places: int = 0) -> str:
    """A probability or share as people read it: a whole percent (or ``places`` more)."""
    if share is None:
        return "—"
    return f"{round(share * 100)}%" if places == 0 else f"{share * 100:.{places}f}%"


def model_label(code: str) -> str:
    labels = {
        "logistic": _("Logistic regression (baseline)"),
        "boosting": _("Gradient boosting (challenger)"),
    }
    return str(labels.get(code, code))


def band_label(code: str) -> str:
    labels = {"high": _("High"), "medium": _("Medium"), "low": _("Low")}
    return str(labels.get(code, code))


def in_language(pair: dict[str, str] | None) -> str:
    return "" if not pair else pair.get(current_lang(), pair.get("en", ""))


def figures(run: Any) -> dict[str, Any]:
    """The model's page: both candidates, the split, calibration, features, fairness."""
    summary = run.summary or {}
    validations = [
        {
            "code": v["model"],
            "label": model_label(v["model"]),
            "chosen": v["model"] == run.chosen,
            "auc": f"{v['auc']:.2f}",
            "brier": f"{v['brier']:.3f}",
            "bins": [
                {"range": f"{round(b['low'] * 100)}–{round(b['high'] * 100)}%",
                 "count": b["count"], "predicted": percent(b["predicted"]),
                 "observed": percent(b["observed"])}
                for b in v["bins"]
            ],
        }
        for v in summary.get("validations", [])
    ]  # fmt: skip
    lang = current_lang()
    left_out = set(summary.get("left_out", []))
    coefficients = summary.get("coefficients", {})
    features = [
        {"code": code, "name": feature_name(code)(lang), "left_out": code in left_out,
         "weight": f"{coefficients[code]:+.2f}" if code in coefficients else "—"}
        for code in FEATURES
    ]  # fmt: skip
    return {
        "validations": validations,
        "split": summary.get("split", {}),
        "base_rate": percent(summary.get("base_rate")),
        "features": features,
        "fairness": _fairness(run.fairness or [], lang),
        "proxy_checks": [
            {
                "feature": feature_name(c["feature"])(lang),
                "attribute": attribute_name(c["attribute"]),
                "auc": f"{c['auc']:.2f}",
            }
            for c in sorted(summary.get("proxy_checks", []), key=lambda c: -c["auc"])[:5]
        ],
        "library": summary.get("library", ""),
    }


def attribute_name(code: str) -> str:
    text = PROTECTED.get(code)
    return text(current_lang()) if text else code


def _fairness(rows: list[dict[str, Any]], lang: str) -> list[dict[str, Any]]:
    too_few = _("too few to compare")
    return [
        {
            "attribute": attribute_name(row["attribute"]),
            "groups": [
                {"group": g["group"], "size": g["size"],
                 "mean": percent(g["mean"], 1) if g["mean"] is not None else too_few}
                for g in row["groups"]
            ],
            "ratio": f"{row['ratio']:.2f}" if row["ratio"] is not None else None,
            "gap": f"{row['gap'] * 100:.1f}" if row["gap"] is not None else None,
            "note": (row["note"] or {}).get(lang),
        }
        for row in rows
    ]  # fmt: skip


def reasons(score: Any) -> list[str]:
    """A score's factors, each a sentence in the reader's language."""
    return [in_language(f) for f in score.factors]
