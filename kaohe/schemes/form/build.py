"""The scheme form drawn from a scheme's data: sections of fields, tables of rows, and the
buttons that add or remove a row.

Developer notes stay out of it: the ``notes`` field and YAML comments are kept in the text
but never shown, and neither are ``version``, ``abstract`` or ``extends``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from kaohe.core import DEFAULT_GRADES, Direction, GapPolicy, InputKind, MissingPolicy
from kaohe.i18n import current_lang

from .catalog import definition, feed_choices, metric_choices
from .fields import MISSING, Field, Path, field_name, get

RULE_KINDS = ("tiers", "linear", "range", "checks", "levels", "events")
STAGES = ("self_assessment", "calibration", "interview")
BOUNDS = ("min", "above", "max", "below")


def rule_kind_names() -> dict[str, str]:
    return {
        "tiers": _("Tiers (thresholds → points)"),
        "linear": _("Linear (pro rata from a floor to a target)"),
        "range": _("Target range"),
        "checks": _("Deductions per failed check"),
        "levels": _("Rating levels with anchors"),
        "events": _("Points per event"),
    }


@dataclass
class Table:
    """Rows of fields under column headings, with add and remove buttons."""

    path: Path
    columns: list[str]
    rows: list[list[Field]]
    add_label: str
    testid: str = ""

    @property
    def add_op(self) -> str:
        return "add-row:" + field_name(self.path)

    def row_ops(self) -> list[tuple[list[Field], str]]:
        return [(row, "remove:" + field_name((*self.path, i))) for i, row in enumerate(self.rows)]


@dataclass
class Indicator:
    path: Path
    title: str
    fields: list[Field]
    kind: Field
    rule_fields: list[Field]
    table: Table | None
    id: str
    check: dict[str, Any] | None = None  # the tiers' live check, set by the view
    more: list[Field] = field(default_factory=list)  # description, unit and SMART facts
    open: bool = False  # drawn unfolded: the button just pressed was in it

    @property
    def points(self) -> str:
        return next((f.display for f in self.fields if f.path[-1] == "max_points"), "")

    @property
    def kind_name(self) -> str:
        return rule_kind_names().get(self.kind.display, self.kind.display)


@dataclass
class Dimension:
    path: Path
    title: str
    fields: list[Field]
    indicators: list[Indicator]


@dataclass
class InputRow:
    code: str
    fields: list[Field]
    metric: Field
    feed: Field
    definition: str


@dataclass
class Form:
    scheme_fields: list[Field]
    dimensions: list[Dimension]
    inputs: list[InputRow]
    grades: Table | None
    default_grades: list[str]
    stages: list[Field]
    extends: str | None
    all_fields: list[Field] = field(default_factory=list)


def text_of(value: Any) -> str:
    """A bilingual text in the reader's language, or a plain string as it is."""
    if isinstance(value, dict):
        return str(value.get(current_lang()) or value.get("zh") or "")
    return "" if value is None or value is MISSING else str(value)


def _bilingual(path: Path, value: Any, label: str, where: str, *, optional: bool) -> list[Field]:
    """``{zh, en}`` as two fields; a plain string (same in both languages) as one."""
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return [Field(path, label, where, value=value, optional=optional, wide=True)]
    return [
        Field(
            (*path, "zh"),
            _("%(label)s (Chinese)") % {"label": label},
            where,
            value=get(value, ("zh",)),
            optional=optional,
            wide=True,
        ),
        Field(
            (*path, "en"),
            _("%(label)s (English)") % {"label": label},
            where,
            value=get(value, ("en",)),
            optional=optional,
            wide=True,
        ),
    ]


def _choice(
    path: Path, value: Any, label: str, where: str, choices: list[tuple[str, str]], **extra: Any
) -> Field:
    known = {key for key, _label in choices}
    if value is not MISSING and shown_value(value) not in known:
        choices = [(shown_value(value), shown_value(value)), *choices]
    return Field(path, label, where, kind="choice", value=value, choices=choices, **extra)


def shown_value(value: Any) -> str:
    return str(value)


def build_form(data: dict[str, Any]) -> Form:
    inputs = data.get("inputs") if isinstance(data.get("inputs"), dict) else {}
    input_choices = [
        (name, f"{text_of(spec.get('name'))} ({name})") for name, spec in inputs.items()
    ]
    scheme = _("Scheme")
    scheme_fields = [
        *_bilingual(
            ("name",),
            data.get("name", MISSING),
            _("Title"),
            scheme,
            optional=False,
        ),
        *_bilingual(
            ("description",),
            data.get("description", MISSING),
            _("Description"),
            scheme,
            optional=True,
        ),
    ]
    dimensions = [
        _dimension((("dimensions", i)), item, input_choices)
        for i, item in enumerate(data.get("dimensions") or [])
        if isinstance(item, dict)
    ]
    form = Form(
        scheme_fields=scheme_fields,
        dimensions=dimensions,
        inputs=[_input(name, spec) for name, spec in inputs.items() if isinstance(spec, dict)],
        grades=_grades(data["grades"]) if isinstance(data.get("grades"), list) else None,
        default_grades=[
            f"{b.grade} ≥ {b.minimum} × {b.coefficient} · {b.label(current_lang())}"
            for b in DEFAULT_GRADES.bands
        ],
        stages=_stages(data.get("stages", MISSING)),
        extends=data.get("extends"),
    )
    form.all_fields = _every_field(form)
    return form


def _every_field(form: Form) -> list[Field]:
    found = [*form.scheme_fields, *form.stages]
    for dimension in form.dimensions:
        found += dimension.fields
        for indicator in dimension.indicators:
            found += [*indicator.fields, *indicator.more, *indicator.rule_fields]
            if indicator.table:
                found += [f for row in indicator.table.rows for f in row]
    for row in form.inputs:
        found += [*row.fields, row.metric, row.feed]
    if form.grades:
        found += [f for row in form.grades.rows for f in row]
    return found


def _dimension(path: Path, data: dict[str, Any], input_choices: list[tuple[str, str]]) -> Dimension:
    title = text_of(data.get("name")) or str(data.get("id", ""))
    where = _("Dimension %(name)s") % {"name": title}
    fields = [
        *_bilingual(
            (*path, "name"),
            data.get("name", MISSING),
            _("Title"),
            where,
            optional=False,
        ),
        Field(
            (*path, "weight"),
            _("Weight (%)"),
            where,
            kind="number",
            value=data.get("weight", MISSING),
        ),
    ]
    indicators = [
        _indicator((*path, "indicators", i), item, title, input_choices)
        for i, item in enumerate(data.get("indicators") or [])
        if isinstance(item, dict)
    ]
    return Dimension(path, title, fields, indicators)


def _indicator(
    path: Path, data: dict[str, Any], dimension: str, input_choices: list[tuple[str, str]]
) -> Indicator:
    title = text_of(data.get("name")) or str(data.get("id", ""))
    where = f"{dimension} › {title}"
    missing = [(p.value, label) for p, label in _missing_names().items()]
    fields = [
        *_bilingual(
            (*path, "name"),
            data.get("name", MISSING),
            _("Title"),
            where,
            optional=False,
        ),
        Field(
            (*path, "max_points"),
            _("Full points"),
            where,
            kind="number",
            value=data.get("max_points", MISSING),
        ),
        _choice(
            (*path, "missing"),
            data.get("missing", MISSING),
            _("When the value is missing"),
            where,
            [("", _("Hold the result (default)")), *missing],
            optional=True,
        ),
    ]
    more = [
        *_bilingual((*path, "unit"), data.get("unit", MISSING), _("Unit"), where, optional=True),
        *_bilingual(
            (*path, "description"),
            data.get("description", MISSING),
            _("Description"),
            where,
            optional=True,
        ),
    ]
    smart = data.get("smart") if isinstance(data.get("smart"), dict) else {}
    for key, label in (
        ("target", _("Target")),
        ("data_source", _("Data source")),
        ("period", _("Period")),
    ):
        more += _bilingual(
            (*path, "smart", key), smart.get(key, MISSING), label, where, optional=True
        )
    rule = data.get("rule") if isinstance(data.get("rule"), dict) else {}
    rule_path = (*path, "rule")
    kind = _choice(
        (*rule_path, "kind"),
        rule.get("kind", MISSING),
        _("Rule"),
        where,
        list(rule_kind_names().items()),
        redraw="kind:" + field_name(rule_path),
    )
    rule_fields, table = _rule(rule_path, rule, where, input_choices)
    return Indicator(
        path, title, fields, kind, rule_fields, table, str(data.get("id", "")), more=more
    )


def _missing_names() -> dict[MissingPolicy, str]:
    return {
        MissingPolicy.EXCLUDE: _("Leave it out and rescale the dimension"),
        MissingPolicy.ZERO: _("Count it as 0 points"),
    }


def _number(
    path: Path, rule: dict[str, Any], key: str, label: str, where: str, *, optional: bool = False
) -> Field:
    return Field(
        (*path, key), label, where, kind="number", value=rule.get(key, MISSING), optional=optional
    )


def _rule(
    path: Path, rule: dict[str, Any], where: str, input_choices: list[tuple[str, str]]
) -> tuple[list[Field], Table | None]:
    kind = rule.get("kind")
    reads = _choice((*path, "input"), rule.get("input", MISSING), _("Input"), where, input_choices)
    if kind == "tiers":
        directions = [
            ("", _("Higher is better (default)")),
            (Direction.LOWER.value, _("Lower is better")),
        ]
        gaps = [
            ("", _("Next lower tier (default)")),
            (GapPolicy.NEXT_HIGHER.value, _("Next higher tier")),
        ]
        fields = [
            reads,
            _choice(
                (*path, "direction"),
                rule.get("direction", MISSING),
                _("Direction"),
                where,
                directions,
                optional=True,
            ),
            _choice(
                (*path, "gap"),
                rule.get("gap", MISSING),
                _("A value between two tiers takes"),
                where,
                gaps,
                optional=True,
            ),
        ]
        return fields, _tiers_table((*path, "tiers"), rule.get("tiers"), where)
    if kind == "linear":
        return [
            reads,
            _number(path, rule, "floor", _("0 points at (floor)"), where),
            _number(path, rule, "target", _("Full points at (target)"), where),
            _number(path, rule, "points", _("Full points"), where),
        ], None
    if kind == "range":
        falloff = rule.get("falloff") if isinstance(rule.get("falloff"), dict) else {}
        return [
            reads,
            _number(path, rule, "low", _("From"), where),
            _number(path, rule, "high", _("To"), where),
            _number(path, rule, "points", _("Full points inside"), where),
            _number(
                (*path, "falloff"), falloff, "points", _("Points off outside"), where, optional=True
            ),
            _number(
                (*path, "falloff"), falloff, "per", _("… per distance of"), where, optional=True
            ),
        ], None
    if kind == "checks":
        fields = [
            _number(path, rule, "base", _("Base points"), where),
            _number(path, rule, "deduction", _("Points off per failed check"), where),
        ]
        return fields, _checks_table((*path, "checks"), rule.get("checks"), where, input_choices)
    if kind == "levels":
        return [reads], _levels_table((*path, "levels"), rule.get("levels"), where)
    if kind == "events":
        return [
            reads,
            _number(path, rule, "base", _("Base points"), where, optional=True),
            _number(path, rule, "per_event", _("Points per event (negative: off)"), where),
            _number(path, rule, "cap", _("At most"), where, optional=True),
        ], None
    return [], None


def _bound_columns() -> list[str]:
    return [_("≥ (at least)"), _("> (above)"), _("≤ (at most)"), _("< (below)")]


def _rows(items: Any) -> list[tuple[int, dict[str, Any]]]:
    return [(i, item) for i, item in enumerate(items or []) if isinstance(item, dict)]


def _tiers_table(path: Path, tiers: Any, where: str) -> Table:
    rows = []
    for i, tier in _rows(tiers):
        here = _("%(where)s › tier %(number)d") % {"where": where, "number": i + 1}
        rows.append(
            [
                *(
                    _number((*path, i), tier, key, label, here, optional=True)
                    for key, label in zip(BOUNDS, _bound_columns(), strict=True)
                ),
                _number((*path, i), tier, "points", _("Points"), here),
            ]
        )
    return Table(path, [*_bound_columns(), _("Points")], rows, _("Add a tier"), "tiers")


def _checks_table(
    path: Path, checks: Any, where: str, input_choices: list[tuple[str, str]]
) -> Table:
    rows = []
    for i, check in _rows(checks):
        here = _("%(where)s › check %(number)d") % {"where": where, "number": i + 1}
        rows.append(
            [
                _choice(
                    (*path, i, "input"),
                    check.get("input", MISSING),
                    _("Input"),
                    here,
                    input_choices,
                ),
                *(
                    _number((*path, i), check, key, label, here, optional=True)
                    for key, label in zip(BOUNDS, _bound_columns(), strict=True)
                ),
            ]
        )
    return Table(path, [_("Input"), *_bound_columns()], rows, _("Add a check"), "checks")


def _levels_table(path: Path, levels: Any, where: str) -> Table:
    rows = []
    for i, level in _rows(levels):
        here = _("%(where)s › level %(number)d") % {"where": where, "number": i + 1}
        rows.append(
            [
                _number((*path, i), level, "points", _("Points"), here),
                *_bilingual(
                    (*path, i, "anchor"),
                    level.get("anchor", MISSING),
                    _("Anchor"),
                    here,
                    optional=False,
                ),
            ]
        )
    columns = [_("Points"), _("Anchor (Chinese)"), _("Anchor (English)")]
    return Table(path, columns, rows, _("Add a level"), "levels")


def _input(name: str, spec: dict[str, Any]) -> InputRow:
    where = _("Input %(name)s") % {"name": text_of(spec.get("name")) or name}
    path: Path = ("inputs", name)
    kinds = [(k.value, k.value) for k in InputKind]
    fields = [
        _choice((*path, "kind"), spec.get("kind", MISSING), _("Kind"), where, kinds),
        *_bilingual(
            (*path, "name"),
            spec.get("name", MISSING),
            _("Title"),
            where,
            optional=False,
        ),
        *_bilingual((*path, "unit"), spec.get("unit", MISSING), _("Unit"), where, optional=True),
        _number(path, spec, "min", _("Lowest value"), where, optional=True),
        _number(path, spec, "max", _("Highest value"), where, optional=True),
    ]
    metric = _choice(
        (*path, "metric"),
        spec.get("metric", MISSING),
        _("Metric"),
        where,
        [("", _("None")), *metric_choices()],
        optional=True,
        redraw="refresh",
    )
    feed = _choice(
        (*path, "feed"),
        spec.get("feed", MISSING),
        _("Other source"),
        where,
        [("", _("None")), *feed_choices()],
        optional=True,
        redraw="refresh",
    )
    shown = definition(str(spec["metric"])) if spec.get("metric") else ""
    return InputRow(name, fields, metric, feed, shown)


def _grades(grades: list[Any]) -> Table:
    path: Path = ("grades",)
    rows = []
    for i, band in _rows(grades):
        here = _("Grade %(grade)s") % {"grade": band.get("grade", i + 1)}
        rows.append(
            [
                Field((*path, i, "grade"), _("Grade"), here, value=band.get("grade", MISSING)),
                _number((*path, i), band, "min", _("From total"), here),
                _number((*path, i), band, "coefficient", _("Coefficient"), here),
                *_bilingual(
                    (*path, i, "label"),
                    band.get("label", MISSING),
                    _("Label"),
                    here,
                    optional=False,
                ),
                *_bilingual(
                    (*path, i, "actions"),
                    band.get("actions", MISSING),
                    _("Development"),
                    here,
                    optional=False,
                ),
            ]
        )
    columns = [
        _("Grade"),
        _("From total"),
        _("Coefficient"),
        _("Label (Chinese)"),
        _("Label (English)"),
        _("Development (Chinese)"),
        _("Development (English)"),
    ]
    return Table(path, columns, rows, _("Add a grade"), "grades")


def _stages(stages: Any) -> list[Field]:
    names = {
        "self_assessment": _("Self-assessment"),
        "calibration": _("Calibration"),
        "interview": _("Feedback interview"),
    }
    chosen = stages if isinstance(stages, dict) else {}
    yes_no = [("true", _("Yes")), ("false", _("No"))]
    return [
        Field(
            ("stages", stage),
            names[stage],
            _("Stages"),
            kind="bool",
            choices=yes_no,
            value=chosen.get(stage, MISSING),
            default="true",
        )
        for stage in STAGES
    ]
