"""A department-scoped HR admin and the organisation-wide scheme settings.

harry is HR for 企服部/客服中心. He may set the default scheme of a position held only
inside his scope, copy any organisation-wide scheme (the copy is his departments') and
edit his copy; he may not change a built-in or organisation-wide scheme, nor the default
of a position held elsewhere. alice, HR for the whole organisation, may do all of it.
"""

import pytest
from django.urls import reverse

from kaohe.appraisals.models import CycleScheme
from kaohe.audit.models import AuditEntry
from kaohe.org.models import subtree_ids
from kaohe.schemes.library import default_version, import_builtin_schemes
from kaohe.schemes.models import DefaultScheme, SchemeVersion

from .workflow import new_cycle


@pytest.fixture
def library(org):
    import_builtin_schemes()
    return {v.code: v for v in SchemeVersion.objects.all()}


def position(org, key):
    return org.people[key].position


def edited(version):
    """The scheme with its weights moved: a change the linter accepts."""
    return version.text.replace("weight: 60", "weight: 55").replace("weight: 20", "weight: 25", 1)


def test_harry_is_offered_the_defaults_only_of_positions_held_in_his_scope(
    library, org, client_for
):
    page = client_for("harry").get(reverse("schemes")).content.decode()
    for key in ("ann", "mike"):  # 客服专员 and 客服组长: held only in 客服中心
        assert f'name="position_{position(org, key).pk}"' in page
    for key in ("dora", "alice", "eve"):  # 客服总监, 绩效专员, 总经理: held elsewhere
        assert f'name="position_{position(org, key).pk}"' not in page
    everything = client_for("alice").get(reverse("schemes")).content.decode()
    for key in ("ann", "mike", "dora", "alice", "eve"):
        assert f'name="position_{position(org, key).pk}"' in everything


def test_harry_cannot_set_the_default_of_a_position_held_outside_his_scope(
    library, org, client_for
):
    director = position(org, "dora")
    response = client_for("harry").post(
        reverse("scheme-defaults"), {f"position_{director.pk}": "tech-support"}
    )
    assert response.status_code == 302
    assert not DefaultScheme.objects.filter(position=director).exists()
    assert default_version(director).code == "cs-director"
    assert not AuditEntry.objects.exists()


def test_a_default_harry_sets_inside_his_scope_is_used_by_new_cycles(library, org, client_for):
    agent = position(org, "ann")
    response = client_for("harry").post(
        reverse("scheme-defaults"), {f"position_{agent.pk}": "tech-support"}
    )
    assert response.status_code == 302
    assert DefaultScheme.objects.get(position=agent).code == "tech-support"
    entry = AuditEntry.objects.get(action="scheme.default")
    assert (entry.actor, entry.target_id) == (org.users["harry"], str(agent.pk))
    assert (entry.before, entry.after) == ({"scheme": "cs-agent"}, {"scheme": "tech-support"})
    cycle = new_cycle(
        org.users["harry"], name="Q4", period="2026-Q4",
        departments=[org.departments["企服部/客服中心"]],
    )  # fmt: skip
    setting = CycleScheme.objects.get(cycle=cycle, position=agent)
    assert setting.version == library["tech-support"]


@pytest.mark.parametrize("code", ["cs-agent", "cs-director"])
def test_harry_may_not_edit_a_built_in_scheme(library, org, client_for, code):
    version = library[code]
    client = client_for("harry")
    assert client.get(reverse("scheme-edit", args=[version.pk])).status_code == 200  # reads
    response = client.post(reverse("scheme-edit", args=[version.pk]), {"text": version.text})
    assert response.status_code == 403
    assert SchemeVersion.objects.filter(code=code).count() == 1
    assert not AuditEntry.objects.exists()


def test_harry_may_not_edit_an_organisation_wide_copy(library, org, client_for):
    client_for("alice").post(
        reverse("scheme-clone", args=[library["cs-agent"].pk]), {"code": "cs-agent-all"}
    )
    shared = SchemeVersion.objects.get(code="cs-agent-all")
    assert not shared.departments.exists()  # alice's copies are the whole organisation's
    text = shared.text
    response = client_for("harry").post(
        reverse("scheme-edit", args=[shared.pk]), {"text": edited(shared)}
    )
    assert response.status_code == 403
    shared.refresh_from_db()
    assert shared.text == text
    assert SchemeVersion.objects.filter(code="cs-agent-all").count() == 1
    assert not AuditEntry.objects.filter(action="scheme.save").exists()


def test_harry_clones_a_scheme_for_his_departments_and_edits_his_copy(library, org, client_for):
    client = client_for("harry")
    response = client.post(
        reverse("scheme-clone", args=[library["cs-agent"].pk]), {"code": "cs-agent-kf"}
    )
    copy = SchemeVersion.objects.get(code="cs-agent-kf")
    assert response["Location"] == reverse("scheme-edit", args=[copy.pk])
    owned = {d.pk for d in copy.departments.all()}
    assert owned == subtree_ids([org.departments["企服部/客服中心"].pk])
    text = edited(copy)
    assert client.post(reverse("scheme-edit", args=[copy.pk]), {"text": text}).status_code == 302
    copy.refresh_from_db()
    assert copy.text == text  # in place: not used by a cycle yet
    saved = AuditEntry.objects.get(action="scheme.save")
    assert (saved.actor, saved.target_id) == (org.users["harry"], str(copy.pk))
    # His copy is his to use as a default inside his scope.
    agent = position(org, "ann")
    client.post(reverse("scheme-defaults"), {f"position_{agent.pk}": "cs-agent-kf"})
    assert default_version(agent) == copy


def test_alice_may_do_all_of_it(library, org, client_for):
    client = client_for("alice")
    director = position(org, "dora")
    client.post(reverse("scheme-defaults"), {f"position_{director.pk}": "cs-director-growth"})
    assert default_version(director).code == "cs-director-growth"
    builtin = library["cs-agent"]
    response = client.post(reverse("scheme-edit", args=[builtin.pk]), {"text": edited(builtin)})
    assert response.status_code == 302
    assert SchemeVersion.objects.get(code="cs-agent", number=2).text == edited(builtin)
    client_for("harry").post(
        reverse("scheme-clone", args=[library["cs-agent"].pk]), {"code": "cs-agent-kf"}
    )
    harrys = SchemeVersion.objects.get(code="cs-agent-kf")
    response = client_for("alice").post(
        reverse("scheme-edit", args=[harrys.pk]), {"text": edited(harrys)}
    )
    assert response.status_code == 302
    assert SchemeVersion.objects.get(pk=harrys.pk).text == edited(harrys)
