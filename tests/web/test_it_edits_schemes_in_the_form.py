"""The scheme form: it round-trips every built-in template exactly, an edit rewrites only
its part, tier tables are checked live, the preview is the core's score, and only who may
edit a scheme today saves one, audited."""

import re
from decimal import Decimal

import pytest
import yaml
from django.urls import reverse

from kaohe.audit.models import AuditEntry
from kaohe.core import builtin_names, load_scheme, load_text, score
from kaohe.display import total
from kaohe.schemes.library import import_builtin_schemes
from kaohe.schemes.models import SchemeVersion

from .scheme_form import form_values

TEMPLATE_FILES = [name for name in builtin_names() if not load_scheme(name).abstract]


@pytest.fixture
def library(org):
    import_builtin_schemes()


def clone(client, code="cs-agent", new="cs-agent-hq"):
    source = SchemeVersion.objects.get(code=code, builtin=True)
    client.post(reverse("scheme-clone", args=[source.pk]), {"code": new})
    return SchemeVersion.objects.get(code=new)


def opened(client, version):
    response = client.get(reverse("scheme-form", args=[version.pk]))
    assert response.status_code == 200
    return form_values(response.content.decode())


def redrawn_text(client, version, values):
    response = client.post(
        reverse("scheme-form-redraw", args=[version.pk]), values, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    return form_values(response.content.decode())["text"]


@pytest.mark.parametrize("code", TEMPLATE_FILES)
def test_every_built_in_template_round_trips_through_the_form_byte_for_byte(
    library, client_for, code
):
    hr = client_for("alice")
    version = SchemeVersion.objects.get(code=code, builtin=True)
    values = opened(hr, version)
    assert any(name.startswith("f/dimensions/") for name in values)
    assert redrawn_text(hr, version, values) == version.text


@pytest.mark.parametrize("path", sorted((p for p in __import__("pathlib").Path(
    "kaohe/core/templates").glob("*.yaml")), key=str), ids=lambda p: p.stem)  # fmt: skip
def test_template_files_as_written_round_trip_with_their_comments(library, client_for, path):
    """The files themselves, comments and flow style included, stored as a scheme's text."""
    text = path.read_text(encoding="utf-8")
    hr = client_for("alice")
    version = SchemeVersion.objects.get(code="cs-director", builtin=True)
    html = hr.post(
        reverse("scheme-form-redraw", args=[version.pk]), {"text": text}, HTTP_HX_REQUEST="true"
    ).content.decode()
    if "extends:" in text:
        assert "此方案继承模板" in html  # the form cannot show a partial scheme
        return
    values = form_values(html)
    assert values["text"] == text
    assert redrawn_text(hr, version, values) == text


def test_a_weight_and_a_tier_change_only_their_lines_and_save_audited(library, client_for, org):
    hr = client_for("alice")
    version = clone(hr)
    before = version.text.splitlines()
    values = opened(hr, version)
    assert values["f/dimensions/0/weight"] == "60"
    values["f/dimensions/0/weight"] = "55"
    values["f/dimensions/1/weight"] = "25"
    values["f/dimensions/0/indicators/0/rule/tiers/0/min"] = "93"
    response = hr.post(reverse("scheme-form", args=[version.pk]), values)
    assert response.status_code == 302
    version.refresh_from_db()
    after = version.text.splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert [b.strip() for _a, b in changed] == ["weight: 55", "- min: 93", "weight: 25"]
    scheme = load_text(version.text)
    assert scheme.dimensions[0].weight == 55
    entry = AuditEntry.objects.filter(action="scheme.save").latest("pk")
    assert entry.actor == org.users["alice"]
    assert entry.after["dimensions"]["performance"].startswith("55%")


def test_an_unchanged_form_saves_nothing(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    count = AuditEntry.objects.filter(action="scheme.save").count()
    response = hr.post(reverse("scheme-form", args=[version.pk]), opened(hr, version))
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="scheme.save").count() == count
    assert SchemeVersion.objects.filter(code="cs-agent-hq").count() == 1


def test_saving_a_built_in_from_the_form_makes_a_new_version(library, client_for):
    hr = client_for("alice")
    version = SchemeVersion.objects.get(code="cs-director", builtin=True)
    values = opened(hr, version)
    values["f/dimensions/0/indicators/0/max_points"] = "20"  # unchanged
    values["f/dimensions/0/name/en"] = "Capability and results"
    hr.post(reverse("scheme-form", args=[version.pk]), values)
    newer = SchemeVersion.objects.get(code="cs-director", number=version.number + 1)
    assert load_text(newer.text).dimensions[0].name.en == "Capability and results"
    version.refresh_from_db()
    assert "Capability and results" not in version.text


def test_adding_and_removing_a_tier_row(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    values["op"] = "add-row:f/dimensions/0/indicators/0/rule/tiers"
    text = redrawn_text(hr, version, values)
    tiers = yaml.safe_load(text)["dimensions"][0]["indicators"][0]["rule"]["tiers"]
    assert len(tiers) == 5
    assert tiers[-1] == {"points": 0}  # the catch-all stays last
    values = {**values, "text": text, "op": "remove:f/dimensions/0/indicators/0/rule/tiers/3"}
    values.pop("f/dimensions/0/indicators/0/rule/tiers/4/points", None)
    text = redrawn_text(hr, version, values)
    assert text == version.text


def test_the_tier_table_reports_an_overlap_and_a_gap_as_you_type(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    check = reverse("scheme-form-check", args=[version.pk])
    values["f/dimensions/0/indicators/0/rule/tiers/1/max"] = "95"  # into the ≥ 92 tier
    html = hr.post(check, values, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="tier-check-answer_rate"' in html
    assert 'hx-swap-oob="true"' in html
    assert "重叠" in html
    assert "工作业绩 › 接通率" in html  # the finding says where by the names the form shows
    assert 'data-errors="true"' in html
    values["f/dimensions/0/indicators/0/rule/tiers/1/max"] = "91"  # leaves (91, 92)
    html = hr.post(check, values, HTTP_HX_REQUEST="true").content.decode()
    assert "空档" in html
    assert "重叠" not in html


def test_a_field_that_is_not_a_number_is_named_in_the_reader_language(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    values["f/dimensions/0/weight"] = "sixty"
    html = hr.post(reverse("scheme-form-check", args=[version.pk]), values).content.decode()
    assert "维度 工作业绩 · 权重（%）：“sixty”不是数字。" in html
    response = hr.post(reverse("scheme-form", args=[version.pk]), values)
    assert response.status_code == 200  # not saved
    version.refresh_from_db()
    assert "weight: 60" in version.text


def numbers_in(html, testid):
    found = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert found, testid
    return found.group(1)


def test_the_preview_is_the_core_scoring_the_sample_values(library, client_for):
    hr = client_for("alice")
    version = SchemeVersion.objects.get(code="cs-agent", builtin=True)
    values = opened(hr, version)
    samples = {k: v for k, v in values.items() if k.startswith("sample/")}
    assert set(samples) == {f"sample/{name}" for name in load_text(version.text).inputs}
    values["sample/answer_rate"] = "91"
    values["sample/qa_pass_rate"] = "96.5"
    html = hr.post(reverse("scheme-form-check", args=[version.pk]), values).content.decode()
    raw = {k.removeprefix("sample/"): v for k, v in values.items() if k.startswith("sample/")}
    expected = score(load_text(version.text), raw)
    assert numbers_in(html, "preview-total").startswith(total(expected.total))
    assert expected.grade.grade in numbers_in(html, "preview-total")
    assert numbers_in(html, "points-answer_rate") == "14 / 20"
    assert expected.indicator("answer_rate").points == Decimal(14)


def test_an_edited_rule_moves_the_preview(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = {**opened(hr, version), "sample/answer_rate": "91"}
    check = reverse("scheme-form-check", args=[version.pk])
    before = numbers_in(hr.post(check, values).content.decode(), "points-answer_rate")
    values["f/dimensions/0/indicators/0/rule/tiers/1/points"] = "16"
    after = numbers_in(hr.post(check, values).content.decode(), "points-answer_rate")
    assert (before, after) == ("14 / 20", "16 / 20")


def test_developer_notes_are_not_shown(library, client_for):
    hr = client_for("alice")
    version = SchemeVersion.objects.get(code="cs-agent", builtin=True)
    html = hr.get(reverse("scheme-form", args=[version.pk])).content.decode()
    notes = yaml.safe_load(version.text)["notes"]["zh"]
    assert notes[:30] not in html.split("<textarea")[0]
    assert "f/notes" not in html


def test_metric_definitions_are_shown_beside_inputs(library, client_for):
    hr = client_for("alice")
    version = SchemeVersion.objects.get(code="cs-agent", builtin=True)
    html = hr.get(reverse("scheme-form", args=[version.pk])).content.decode()
    assert 'data-testid="definition-fcr_rate"' in html
    assert "一次性解决" in html


@pytest.mark.parametrize("who", ["ann", "mike", "dora", "eve", "nobody"])
def test_only_hr_opens_the_form(library, client_for, who):
    version = SchemeVersion.objects.get(code="cs-agent", builtin=True)
    client = client_for(who)
    assert client.get(reverse("scheme-form", args=[version.pk])).status_code in (403, 404)
    response = client.post(reverse("scheme-form-check", args=[version.pk]), {})
    assert response.status_code in (403, 404)


def test_scoped_hr_reads_an_organisation_scheme_but_may_not_save_it(library, client_for):
    harry = client_for("harry")
    version = SchemeVersion.objects.get(code="cs-agent", builtin=True)
    values = opened(harry, version)
    assert (
        'data-testid="save-form"'
        not in harry.get(reverse("scheme-form", args=[version.pk])).content.decode()
    )
    values["f/dimensions/0/weight"] = "55"
    assert harry.post(reverse("scheme-form", args=[version.pk]), values).status_code == 403
    assert not SchemeVersion.objects.filter(code="cs-agent", number=version.number + 1).exists()


def test_scoped_hr_edits_their_own_copy_in_the_form(library, client_for):
    harry = client_for("harry")
    own = clone(harry, new="kefu-agent")
    values = opened(harry, own)
    values["f/dimensions/0/weight"] = "50"
    values["f/dimensions/2/weight"] = "30"
    assert harry.post(reverse("scheme-form", args=[own.pk]), values).status_code == 302
    own.refresh_from_db()
    assert load_text(own.text).dimensions[2].weight == 30


def test_a_scheme_that_extends_a_template_points_to_the_yaml_tab(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    version.text = (
        "id: cs-agent-hq\nextends: service-base\nname: {zh: 甲, en: A}\n"
        "dimensions:\n  - id: performance\n    indicators: []\n"
    )
    version.save()
    html = hr.get(reverse("scheme-form", args=[version.pk])).content.decode()
    assert "service-base" in html
    assert 'class="sf"' not in html


def test_the_form_page_has_no_inline_scripts_or_styles_and_escapes_names(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    version.text = version.text.replace("en: Answer rate\n", "en: '<script>x()</script>'\n", 1)
    version.save()
    html = hr.get(reverse("scheme-form", args=[version.pk])).content.decode()
    assert "<script>x()" not in html
    assert "&lt;script&gt;x()" in html
    assert not re.search(r"<style\b|\sstyle=|\son[a-z]+=", html)
    for script in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in script


def pressed(client, version, values, op, **extra):
    """The text after pressing a button of the form."""
    return redrawn_text(client, version, {**values, "op": op, **extra})


def changed_lines(before, after):
    import difflib

    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def test_changing_a_rule_kind_rewrites_that_rule_only(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    rule = "f/dimensions/0/indicators/0/rule"
    values[f"{rule}/kind"] = "linear"
    text = pressed(hr, version, values, f"kind:{rule}")
    indicator = load_text(text).indicator("answer_rate")
    assert indicator.rule.kind == "linear"
    assert indicator.rule.max_points == indicator.max_points == 20
    assert all(line.startswith(("-", "+")) for line in changed_lines(version.text, text))
    assert load_text(text).indicator("talk_time") == load_text(version.text).indicator("talk_time")


def test_adding_a_level_moves_the_level_input_with_it(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    levels = "f/dimensions/1/indicators/0/rule/levels"
    text = pressed(hr, version, values, f"add-row:{levels}")
    data = yaml.safe_load(text)
    assert len(data["dimensions"][1]["indicators"][0]["rule"]["levels"]) == 6
    assert data["inputs"]["professional_skill"]["max"] == 6
    load_text(text)  # still loads: the levels and the input's range agree


def test_new_indicator_input_and_dimension_need_a_good_code(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    dimension = "f/dimensions/0"
    response = hr.post(reverse("scheme-form-redraw", args=[version.pk]), {
        **values, "op": f"add-indicator:{dimension}", f"new-indicator/{dimension}": "Bad Code",
    }, HTTP_HX_REQUEST="true")  # fmt: skip
    assert "未添加" in response.content.decode()
    text = pressed(hr, version, values, f"add-indicator:{dimension}",
                   **{f"new-indicator/{dimension}": "first_call"})  # fmt: skip
    assert load_text(text).indicator("first_call").rule.kind == "linear"
    text = pressed(hr, version, values, "add-input:", **{"new-input": "ces_mean"})
    assert yaml.safe_load(text)["inputs"]["ces_mean"]["kind"] == "percent"
    assert all(line.startswith("+") for line in changed_lines(version.text, text))


def test_grades_are_written_out_to_change_them_and_stages_turned_off(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    values = opened(hr, version)
    assert values["f/stages/self_assessment"] == "true"
    text = pressed(hr, version, values, "custom-grades:")
    scheme = load_text(text)
    assert [band.grade for band in scheme.grades.bands] == ["A", "B", "C", "D", "E"]
    values = {**opened(hr, version), "text": text}
    html = hr.post(reverse("scheme-form-redraw", args=[version.pk]), values,
                   HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    values = {**form_values(html), "f/grades/0/coefficient": "1.3",
              "f/stages/self_assessment": "false"}  # fmt: skip
    hr.post(reverse("scheme-form", args=[version.pk]), values)
    version.refresh_from_db()
    scheme = load_text(version.text)
    assert scheme.grades.bands[0].coefficient == Decimal("1.3")
    assert "self_assessment" not in scheme.stages


def test_a_text_with_aliases_is_edited_as_yaml(library, client_for):
    hr = client_for("alice")
    version = clone(hr)
    text = version.text.replace("weight: 60", "weight: &w 60", 1).replace(
        "weight: 20", "weight: *w", 1
    )
    html = hr.post(reverse("scheme-form-redraw", args=[version.pk]), {"text": text},
                   HTTP_HX_REQUEST="true").content.decode()  # fmt: skip
    assert 'class="sf"' not in html
    assert "YAML" in html
