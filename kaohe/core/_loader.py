"""Loading schemes from YAML files and built-in templates, validated on load.

Errors name the file, the line, the indicator and the field. Checks that need judgement
(weights summing to 100, tier gaps, SMART facts) belong to the linter, so that a scheme
with such problems still loads and the linter can explain them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from ._errors import UnknownScheme, quoted
from ._feed import Feed, FeedError
from ._grades import DEFAULT_GRADES, GradeBand, GradeScale
from ._inputs import InputKind, InputSpec, default_bounds, kind_name
from ._intervals import Bound, Interval
from ._merge import merge_scheme
from ._metric_key import MetricKey, MetricKeyError
from ._reader import Node
from ._rules import Check, Deductions, Level, Linear, PerEvent, RatingLevels, Rule, TargetRange
from ._scheme import OPTIONAL_STAGES, Dimension, Indicator, MissingPolicy, Scheme, Smart
from ._text import Text
from ._tiers import Direction, GapPolicy, Tier, Tiers
from ._units import Duration
from ._yamlfile import Positions, load_yaml, parse_yaml

TEMPLATES = Path(__file__).parent / "templates"
BUILTIN_PREFIX = "<built-in>/"

_SCHEME_KEYS = (
    "id", "version", "name", "description", "notes", "extends", "abstract",
    "inputs", "dimensions", "grades", "stages",
)  # fmt: skip
_INPUT_KEYS = ("kind", "name", "unit", "min", "max", "metric", "feed")
_DIMENSION_KEYS = ("id", "name", "weight", "indicators")
_INDICATOR_KEYS = (
    "id", "name", "unit", "max_points", "missing", "smart", "description", "rule",
)  # fmt: skip
_SMART_KEYS = ("target", "data_source", "period")
_GRADE_KEYS = ("grade", "min", "coefficient", "label", "actions")
_BOUND_KEYS = ("min", "above", "max", "below")


def builtin_names() -> list[str]:
    """Names of the built-in templates, abstract bases included."""
    return sorted(path.stem for path in TEMPLATES.glob("*.yaml"))


def load_scheme(name_or_path: str | Path) -> Scheme:
    """Load a built-in template by name, or a scheme file by path."""
    path, display = resolve(str(name_or_path))
    return load_file(path, display)


def resolve(reference: str, relative_to: Path | None = None) -> tuple[Path, str]:
    """A reference is a file path when it looks like one, else a built-in template name."""
    if _looks_like_path(reference):
        path = Path(reference)
        if relative_to is not None and not path.is_absolute():
            path = relative_to / path
        return path, str(path)
    path = TEMPLATES / f"{reference}.yaml"
    if not path.is_file():
        raise UnknownScheme(reference, builtin_names())
    return path, BUILTIN_PREFIX + path.name


def _looks_like_path(reference: str) -> bool:
    return reference.endswith((".yaml", ".yml")) or "/" in reference


def load_file(path: Path, display: str | None = None) -> Scheme:
    display = display or str(path)
    positions = Positions()
    raw = _load_with_bases(path, display, positions, chain=())
    root = Node(raw, positions=positions, file=display, line=1)
    return _build_scheme(root, display)


def load_text(text: str, display: str = "<scheme>") -> Scheme:
    """Load a scheme from YAML text, as stored in the app's database. It may extend a
    built-in template by name."""
    positions = Positions()
    raw = _with_bases(parse_yaml(text, positions, display), None, display, positions, ())
    root = Node(raw, positions=positions, file=display, line=1)
    return _build_scheme(root, display)


def flatten(name_or_path: str | Path) -> str:
    """A scheme as one self-contained YAML text: what it extends merged in."""
    path, display = resolve(str(name_or_path))
    raw = _load_with_bases(path, display, Positions(), chain=())
    raw.pop("extends", None)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)


def _load_with_bases(
    path: Path, display: str, positions: Positions, chain: tuple[Path, ...]
) -> dict[Any, Any]:
    raw = load_yaml(path, positions, display)
    return _with_bases(raw, path, display, positions, chain)


def _with_bases(
    raw: object, path: Path | None, display: str, positions: Positions, chain: tuple[Path, ...]
) -> dict[Any, Any]:
    root = Node(raw, positions=positions, file=display, line=1)
    if not isinstance(raw, dict):
        raise root.error(
            "方案文件应由「id」、「name」、「dimensions」等字段组成",
            "a scheme file must be a mapping of fields (id, name, dimensions, …)",
        )
    extends = root.get("extends")
    if extends is None:
        return raw
    if path is None and _looks_like_path(extends.string()):
        raise extends.error(
            "在系统中保存的方案只能继承内置模板，且须写模板名称，不能写文件路径",
            "a stored scheme may extend only a built-in template, by name",
        )
    relative_to = None if path is None else path.parent
    base_path, base_display = resolve(extends.string(), relative_to=relative_to)
    if base_path.resolve() in chain:
        raise extends.error("方案文件之间循环继承", "scheme files extend each other in a circle")
    here = () if path is None else (path.resolve(),)
    base = _load_with_bases(base_path, base_display, positions, (*chain, *here))
    return merge_scheme(base, raw, positions)


# --- the scheme --------------------------------------------------------------------------


def _build_scheme(root: Node, source: str) -> Scheme:
    root.mapping(_SCHEME_KEYS)
    version = root.get("version")
    abstract = root.get("abstract")
    inputs = _build_inputs(root.need("inputs"))
    dimensions = tuple(_build_dimension(node, inputs) for node in root.need("dimensions").items())
    _refuse_duplicate_dimensions(root.need("dimensions"), [d.id for d in dimensions])
    _refuse_duplicate_indicators(root, dimensions)
    grades = root.get("grades")
    return Scheme(
        id=root.need("id").identifier(),
        name=root.need("name").text(),
        dimensions=dimensions,
        inputs=inputs,
        grades=DEFAULT_GRADES if grades is None else _build_grades(grades),
        version=1 if version is None else _at_least_one(version),
        description=_optional_text(root, "description"),
        notes=_optional_text(root, "notes"),
        source=source,
        abstract=False if abstract is None else abstract.boolean(),
        stages=_build_stages(root.get("stages")),
    )


def _build_stages(node: Node | None) -> frozenset[str]:
    if node is None:
        return OPTIONAL_STAGES
    chosen = node.mapping(sorted(OPTIONAL_STAGES))
    return frozenset(
        stage for stage in OPTIONAL_STAGES if stage not in chosen or node.need(stage).boolean()
    )


def _at_least_one(node: Node) -> int:
    value = node.integer()
    if value < 1:
        raise node.error(f"不能小于 1，实际为 {value}", f"must be 1 or more, got {value}")
    return value


def _optional_text(node: Node, key: str, *, same_in_both: bool = False) -> Any:
    found = node.get(key)
    return None if found is None else found.text(same_in_both=same_in_both)


def _refuse_duplicate_dimensions(node: Node, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id, item in zip(ids, node.items(), strict=True):
        if item_id in seen:
            raise item.need("id").error(
                f"维度编号「{item_id}」重复：同一方案中各维度的编号不能相同",
                f"duplicate dimension id '{item_id}'",
            )
        seen.add(item_id)


def _refuse_duplicate_indicators(root: Node, dimensions: tuple[Dimension, ...]) -> None:
    seen: set[str] = set()
    for dimension_node, dimension in zip(root.need("dimensions").items(), dimensions, strict=True):
        indicator_nodes = dimension_node.need("indicators").items()
        for node, indicator in zip(indicator_nodes, dimension.indicators, strict=True):
            if indicator.id in seen:
                raise node.need("id").error(
                    f"指标编号「{indicator.id}」重复：同一方案中各指标的编号不能相同",
                    f"duplicate indicator id '{indicator.id}'",
                )
            seen.add(indicator.id)


def _build_inputs(node: Node) -> dict[str, InputSpec]:
    inputs: dict[str, InputSpec] = {}
    for name, spec in node.entries():
        spec.mapping(_INPUT_KEYS)
        Node(name, positions=spec.positions, file=spec.file, line=spec.line).identifier()
        kind = spec.need("kind").choice(InputKind)
        minimum, maximum = default_bounds(kind)
        if (found := spec.get("min")) is not None:
            minimum = _bound_value(found, kind)
        if (found := spec.get("max")) is not None:
            maximum = _bound_value(found, kind)
        if minimum is not None and maximum is not None and minimum > maximum:
            raise spec.error(
                f"最小值「min」（{minimum}）大于最大值「max」（{maximum}）",
                f"min {minimum} is above max {maximum}",
            )
        duration, unit = _unit(spec.get("unit"))
        inputs[name] = InputSpec(
            name=name,
            kind=kind,
            label=spec.need("name").text(),
            unit=unit,
            minimum=minimum,
            maximum=maximum,
            metric=_metric_ref(spec.get("metric")),
            duration=duration,
            feed=_feed_ref(spec, kind),
        )
    if not inputs:
        raise node.error("方案至少要有一项输入", "a scheme needs at least one input")
    return inputs


def _metric_ref(node: Node | None) -> MetricKey | None:
    """``name`` (the person's own value), ``queues:name`` (their queues') or ``org:name``
    (the organisation's)."""
    if node is None:
        return None
    text = node.string()
    try:
        return MetricKey.parse(text)
    except MetricKeyError:
        raise node.error(
            f"「{text}」不是有效的指标数据名称：应写成「fcr_rate」（本人数据）、"
            "「queues:answer_rate」（本人所在队列）或「org:answer_rate」（整个组织）这样的形式",
            f"'{text}' is not a metric: use a name such as fcr_rate, queues:answer_rate "
            "or org:answer_rate",
        ) from None


def _feed_ref(spec: Node, kind: InputKind) -> Feed | None:
    """``reviews:peers``, ``incidents:violation`` or ``goals``; never beside a metric."""
    node = spec.get("feed")
    if node is None:
        return None
    if spec.get("metric") is not None:
        raise node.error(
            "一项输入只能有一个来源：「metric」与「feed」不能同时填写",
            "an input has one source: give metric or feed, not both",
        )
    try:
        feed = Feed.parse(node.string())
    except FeedError as error:
        raise node.error(error.problem.zh, error.problem.en) from None
    if feed.kind is not kind:
        raise node.error(
            f"来源 {feed.source} 提供的是{kind_name(feed.kind).zh}，"
            f"该输入的类型「kind」应为 {feed.kind}",
            f"{feed.source} gives a {feed.kind}: the input's kind should be {feed.kind}",
        )
    return feed


def _unit(node: Node | None) -> tuple[Duration | None, Text | None]:
    """A duration's name (``minutes``) or a free label (``{zh: 篇, en: articles}``)."""
    if node is None:
        return None, None
    if isinstance(node.value, str) and node.value.strip() in {d.value for d in Duration}:
        duration = Duration(node.value.strip())
        return duration, duration.label
    return None, node.text(same_in_both=True)


def _bound_value(node: Node, kind: InputKind) -> Decimal:
    """An input's min or max; levels and counts are whole numbers."""
    whole = kind in (InputKind.LEVEL, InputKind.COUNT)
    return Decimal(node.integer()) if whole else node.number()


def _build_dimension(node: Node, inputs: Mapping[str, InputSpec]) -> Dimension:
    node.mapping(_DIMENSION_KEYS)
    return Dimension(
        id=node.need("id").identifier(),
        name=node.need("name").text(),
        weight=node.need("weight").positive(),
        indicators=tuple(_build_indicator(i, inputs) for i in node.need("indicators").items()),
    )


def _build_indicator(node: Node, inputs: Mapping[str, InputSpec]) -> Indicator:
    indicator_id = node.need("id").identifier()
    node = node.for_indicator(indicator_id)  # so that every error below names the indicator
    node.mapping(_INDICATOR_KEYS)
    missing = node.get("missing")
    smart = node.get("smart")
    return Indicator(
        id=indicator_id,
        name=node.need("name").text(),
        rule=_build_rule(node.need("rule"), inputs),
        max_points=node.need("max_points").positive(),
        missing=MissingPolicy.BLOCK if missing is None else missing.choice(MissingPolicy),
        unit=_optional_text(node, "unit", same_in_both=True),
        smart=Smart() if smart is None else _build_smart(smart),
        description=_optional_text(node, "description"),
    )


def _build_smart(node: Node) -> Smart:
    node.mapping(_SMART_KEYS)
    return Smart(
        target=_optional_text(node, "target", same_in_both=True),
        data_source=_optional_text(node, "data_source", same_in_both=True),
        period=_optional_text(node, "period", same_in_both=True),
    )


def _build_grades(node: Node) -> GradeScale:
    bands = []
    for item in node.items():
        item.mapping(_GRADE_KEYS)
        bands.append(
            GradeBand(
                grade=item.need("grade").string(),
                minimum=item.need("min").non_negative(),
                coefficient=item.need("coefficient").non_negative(),
                label=item.need("label").text(),
                actions=item.need("actions").text(),
            )
        )
    if not bands:
        raise node.error("等级表至少需要一个等级", "a grade scale needs at least one grade")
    return GradeScale(tuple(bands))


# --- rules -------------------------------------------------------------------------------


def _build_rule(node: Node, inputs: Mapping[str, InputSpec]) -> Rule:
    kind = node.need("kind")
    builder = _RULE_BUILDERS.get(kind.string())
    if builder is None:
        raise kind.error(
            f"无法识别的评分规则类型「{kind.value}」（可用的类型：{quoted(_RULE_BUILDERS)}）",
            f"unknown rule kind {kind.value!r} (kinds: {', '.join(_RULE_BUILDERS)})",
        )
    return builder(node, inputs)


def _input_ref(
    node: Node, inputs: Mapping[str, InputSpec], kinds: tuple[InputKind, ...] = ()
) -> str:
    name = node.string()
    if name not in inputs:
        raise node.error(
            f"方案中没有名为「{name}」的输入（已定义的输入：{quoted(inputs)}）",
            f"unknown input '{name}' (the scheme's inputs: {', '.join(inputs)})",
        )
    kind = inputs[name].kind
    if kinds and kind not in kinds:
        raise node.error(
            f"输入「{name}」是{kind_name(kind).zh}，而这种评分规则只能读取"
            + "或".join(kind_name(k).zh for k in kinds),
            f"input '{name}' is a {kind}; this rule reads a {' or '.join(kinds)}",
        )
    return name


def _interval(node: Node) -> Interval:
    """Bounds from ``min``/``above`` (lower) and ``max``/``below`` (upper)."""
    return Interval(_bound(node, "min", "above"), _bound(node, "max", "below"))


def _bound(node: Node, inclusive_key: str, exclusive_key: str) -> Bound | None:
    inclusive, exclusive = node.get(inclusive_key), node.get(exclusive_key)
    if inclusive is not None and exclusive is not None:
        raise exclusive.error(
            f"「{inclusive_key}」和「{exclusive_key}」只能写其中一个",
            f"give either '{inclusive_key}' or '{exclusive_key}', not both",
        )
    if inclusive is not None:
        return Bound(inclusive.number(), inclusive=True)
    if exclusive is not None:
        return Bound(exclusive.number(), inclusive=False)
    return None


def _build_tiers(node: Node, inputs: Mapping[str, InputSpec]) -> Tiers:
    node.mapping(("kind", "input", "direction", "gap", "tiers"))
    direction_node, gap_node = node.get("direction"), node.get("gap")
    direction = Direction.HIGHER if direction_node is None else direction_node.choice(Direction)
    tiers: list[Tier] = []
    previous: Interval | None = None
    for item in node.need("tiers").items():
        item.mapping(("points", *_BOUND_KEYS))
        interval = _implied(_interval(item), previous, direction)
        tiers.append(Tier(interval, item.need("points").non_negative()))
        previous = interval
    if not tiers:
        raise node.need("tiers").error("至少需要一个档位", "needs at least one tier")
    return Tiers(
        input=_input_ref(node.need("input"), inputs),
        direction=direction,
        tiers=tuple(tiers),
        gap_policy=GapPolicy.NEXT_LOWER if gap_node is None else gap_node.choice(GapPolicy),
    )


def _implied(interval: Interval, previous: Interval | None, direction: Direction) -> Interval:
    """Fill the bound facing the previous (better) tier from that tier's own bound."""
    if previous is None:
        return interval
    if direction is Direction.HIGHER and interval.high is None and previous.low is not None:
        return Interval(interval.low, previous.low.flipped())
    if direction is Direction.LOWER and interval.low is None and previous.high is not None:
        return Interval(previous.high.flipped(), interval.high)
    return interval


def _build_linear(node: Node, inputs: Mapping[str, InputSpec]) -> Linear:
    node.mapping(("kind", "input", "floor", "target", "points"))
    floor, target = node.need("floor").number(), node.need("target").number()
    if floor == target:
        raise node.need("target").error(
            "起评值「floor」与目标值「target」不能相同", "the floor and the target must differ"
        )
    return Linear(
        input=_input_ref(node.need("input"), inputs),
        floor=floor,
        target=target,
        full_points=node.need("points").positive(),
    )


def _build_range(node: Node, inputs: Mapping[str, InputSpec]) -> TargetRange:
    node.mapping(("kind", "input", "low", "high", "points", "falloff"))
    low, high = node.need("low").number(), node.need("high").number()
    if low > high:
        raise node.need("high").error(
            f"上限「high」（{high}）小于下限「low」（{low}）", f"high ({high}) is below low ({low})"
        )
    falloff = node.get("falloff")
    falloff_points, falloff_per = None, Decimal(1)
    if falloff is not None:
        falloff.mapping(("points", "per"))
        falloff_points = falloff.need("points").positive()
        per = falloff.get("per")
        falloff_per = Decimal(1) if per is None else per.positive()
    return TargetRange(
        input=_input_ref(node.need("input"), inputs),
        low=low,
        high=high,
        full_points=node.need("points").positive(),
        falloff_points=falloff_points,
        falloff_per=falloff_per,
    )


def _build_checks(node: Node, inputs: Mapping[str, InputSpec]) -> Deductions:
    node.mapping(("kind", "base", "deduction", "checks"))
    checks = []
    for item in node.need("checks").items():
        item.mapping(("input", *_BOUND_KEYS))
        passes_when = _interval(item)
        if passes_when.low is None and passes_when.high is None:
            raise item.error(
                "检查项须写明通过条件：「min」、「above」、「max」或「below」",
                "a check needs a condition: min, above, max or below",
            )
        if passes_when.is_empty:
            raise item.error("任何取值都无法通过这项检查", "no value can pass this check")
        checks.append(Check(_input_ref(item.need("input"), inputs), passes_when))
    if not checks:
        raise node.need("checks").error("至少需要一项检查", "needs at least one check")
    return Deductions(
        checks=tuple(checks),
        base=node.need("base").positive(),
        deduction=node.need("deduction").positive(),
    )


def _build_levels(node: Node, inputs: Mapping[str, InputSpec]) -> RatingLevels:
    node.mapping(("kind", "input", "levels"))
    input_node = node.need("input")
    name = _input_ref(input_node, inputs, (InputKind.LEVEL,))
    levels = []
    for number, item in enumerate(node.need("levels").items(), start=1):
        item.mapping(("points", "anchor"))
        levels.append(Level(number, item.need("points").non_negative(), item.need("anchor").text()))
    spec = inputs[name]
    if (spec.minimum, spec.maximum) != (Decimal(1), Decimal(len(levels))):
        raise node.need("levels").error(
            f"这里列出了 {len(levels)} 个等级，但输入「{name}」的等级范围是 "
            f"{spec.range_text()}，两者必须一致",
            f"{len(levels)} levels given, but input '{name}' takes levels "
            f"{spec.range_text()}; they must match",
        )
    return RatingLevels(input=name, levels=tuple(levels))


def _build_events(node: Node, inputs: Mapping[str, InputSpec]) -> PerEvent:
    node.mapping(("kind", "input", "base", "per_event", "cap"))
    per_event_node = node.need("per_event")
    per_event = per_event_node.number()
    if per_event == 0:
        raise per_event_node.error("不能为 0", "must not be 0")
    base_node, cap_node = node.get("base"), node.get("cap")
    base = Decimal(0) if base_node is None else base_node.non_negative()
    if cap_node is not None:
        cap = cap_node.positive()
    elif per_event < 0 and base > 0:
        cap = base
    else:
        raise node.error(
            "加分规则须设上限「cap」；扣分规则须设基础分「base」作为扣分的起点",
            "a bonus needs a 'cap'; a penalty needs 'base' points to deduct from",
        )
    return PerEvent(
        input=_input_ref(node.need("input"), inputs, (InputKind.COUNT,)),
        base=base,
        per_event=per_event,
        cap=cap,
    )


_RULE_BUILDERS: dict[str, Callable[[Node, Mapping[str, InputSpec]], Rule]] = {
    "tiers": _build_tiers,
    "linear": _build_linear,
    "range": _build_range,
    "checks": _build_checks,
    "levels": _build_levels,
    "events": _build_events,
}
