"""The scheme form's fields: a value shown and posted back unchanged sets nothing; a
changed one is typed as YAML writes it; empty optional fields go, with their group."""

from decimal import InvalidOperation

import pytest
from django.utils import translation

from kaohe.schemes.form.fields import MISSING, Field, apply_fields, number


@pytest.mark.parametrize(
    ("typed", "value"), [("60", 60), (" 7.5 ", 7.5), ("-20", -20), ("1e2", 100.0), ("0.10", 0.1)]
)
def test_numbers_keep_whole_numbers_whole(typed, value):
    assert number(typed) == value
    assert type(number(typed)) is type(value)


@pytest.mark.parametrize("typed", ["sixty", "1,5", "1 000", "nan", "inf", ""])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(InvalidOperation):
        number(typed)


def test_an_unchanged_value_is_not_set_even_when_it_reads_as_another_type():
    data = {"weight": 60.0}
    weight = Field(("weight",), "Weight", "Dimension", kind="number", value=60.0)
    assert apply_fields(data, [weight], {"f/weight": "60.0"}) == []
    assert type(data["weight"]) is float


def test_an_emptied_optional_field_goes_with_its_group():
    data = {"smart": {"target": "≥ 92%"}, "id": "x"}
    target = Field(("smart", "target"), "Target", "x", optional=True, value="≥ 92%")
    assert apply_fields(data, [target], {"f/smart/target": " "}) == []
    assert data == {"id": "x"}


def test_a_required_field_left_empty_is_a_problem_naming_it():
    data = {"name": {"zh": "接通率"}}
    name = Field(("name", "zh"), "Name (Chinese)", "Performance › Answer rate", value="接通率")
    with translation.override("en"):
        problems = [str(p) for p in apply_fields(data, [name], {"f/name/zh": ""})]
    assert problems == [
        "Performance › Answer rate · Name (Chinese): fill this in; it may not be empty."
    ]
    assert data == {"name": {"zh": "接通率"}}


def test_a_new_optional_value_makes_its_group():
    data = {"id": "x"}
    per = Field(("falloff", "per"), "per", "x", kind="number", optional=True, value=MISSING)
    apply_fields(data, [per], {"f/falloff/per": "2"})
    assert data == {"id": "x", "falloff": {"per": 2}}
