"""Only the policy modules decide roles: no view, template, action or command reads role
facts itself, and the policy modules import nothing above them.

A static check over the source, so that a shortcut such as ``if access.is_hr:`` in a view
fails the build instead of slipping past the permission tests.
"""

import ast
import re
from pathlib import Path

import pytest

KAOHE = Path(__file__).resolve().parents[2] / "kaohe"

# What ``Access`` knows about a person's roles; only the policy modules may read it.
ROLE_FACTS = {
    "is_hr",
    "is_executive",
    "is_manager",
    "hr_scope",
    "hr_for_whole_organisation",
    "reads_everything",
    "hr_scope_covers",
    "in_hr_scope",
    "report_ids",
    "people_ids",
    "manages",
    "_grants",
    "is_superuser",
    "is_staff",
    "roles_on",
}
# The grant model and its roles belong to the organisation app's models, policy and
# actions (and the app config that words them for the audit log); the role command and the
# demo name a role only to hand it to an action.
GRANT_NAMES = {"AccessGrant", "GrantRole"}
MAY_NAME_GRANTS = {
    "org/models.py",
    "org/policy.py",
    "org/actions.py",
    "org/apps.py",
    "cli/access.py",
    "demo.py",
}


def python_files():
    for path in sorted(KAOHE.rglob("*.py")):
        relative = path.relative_to(KAOHE).as_posix()
        if "/migrations/" in relative or relative.startswith(("core/", "metrics/")):
            continue
        yield relative, path


def is_policy(relative):
    return relative.endswith("/policy.py")


@pytest.mark.parametrize(("relative", "path"), list(python_files()), ids=lambda v: str(v))
def test_no_module_outside_the_policies_reads_role_facts(relative, path):
    if is_policy(relative):
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in ROLE_FACTS:
            found.append(f"line {node.lineno}: .{node.attr}")
        name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", None)
        if name in GRANT_NAMES and relative not in MAY_NAME_GRANTS:
            found.append(f"line {node.lineno}: {name}")
    assert not found, f"{relative} decides roles itself: {found}"


ROLE_WORDS = re.compile(
    r"\baccess\.|\b(is_hr|is_executive|is_manager|hr_scope|report_ids|roles_on|is_superuser)\b"
)


@pytest.mark.parametrize(
    "path",
    sorted(KAOHE.rglob("templates/**/*.html")),
    ids=lambda p: p.relative_to(KAOHE).as_posix(),
)
def test_templates_ask_the_answers_views_give(path):
    found = [
        f"line {number}: {match.group(0)}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in [ROLE_WORDS.search(line)]
        if match
    ]
    assert not found, f"{path.name} tests roles itself: {found}"


# What each policy module may import from kaohe: only what lies below it.
POLICY_IMPORTS = {
    "org/policy.py": {"kaohe.org.models"},
    "data/policy.py": {"kaohe.org.policy"},
    "schemes/policy.py": {"kaohe.org.models", "kaohe.org.policy", "kaohe.schemes.models"},
    "appraisals/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.workflow",
    },
    "calibration/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
        "kaohe.calibration.models",
    },
    "pay/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
    },
    "development/policy.py": {
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
        "kaohe.development.models",
    },
    "goals/policy.py": {"kaohe.org.models", "kaohe.org.policy", "kaohe.goals.models"},
    "incidents/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
        "kaohe.incidents.models",
    },
    "reviews/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
        "kaohe.schemes.models",
        "kaohe.schemes.policy",
        "kaohe.reviews.models",
    },
    "recognition/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.recognition.models",
    },
    "points/policy.py": {"kaohe.org.models", "kaohe.org.policy", "kaohe.points.models"},
    "accounts/policy.py": set(),
    "reports/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
        "kaohe.calibration.models",
        "kaohe.calibration.policy",
        "kaohe.development.policy",
        "kaohe.goals.models",
        "kaohe.goals.policy",
        "kaohe.pay.policy",
    },
    "tokens/policy.py": {"kaohe.org.policy", "kaohe.tokens.models"},
    "insights/policy.py": {
        "kaohe.org.models",
        "kaohe.org.policy",
        "kaohe.appraisals.models",
        "kaohe.appraisals.policy",
        "kaohe.schemes.models",
        "kaohe.schemes.policy",
        "kaohe.insights.models",
    },
}


def kaohe_imports(path, package):
    imported = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                imported.add(f"{base}.{node.module}" if node.module else base)
            elif node.module and node.module.startswith("kaohe"):
                imported.add(node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names if alias.name.startswith("kaohe"))
    return imported


def test_every_app_with_writes_has_a_policy_module():
    apps_with_actions = {p.parent.name for p in KAOHE.glob("*/actions*") if p.parent != KAOHE}
    for app in apps_with_actions:
        assert (KAOHE / app / "policy.py").is_file(), app
    assert set(POLICY_IMPORTS) == {
        p.relative_to(KAOHE).as_posix() for p in KAOHE.glob("*/policy.py")
    }


@pytest.mark.parametrize(("relative", "allowed"), sorted(POLICY_IMPORTS.items()))
def test_policy_modules_import_nothing_above_them(relative, allowed):
    package = "kaohe." + relative.rsplit("/", 1)[0].replace("/", ".")
    imported = kaohe_imports(KAOHE / relative, package)
    assert imported <= allowed, f"{relative} imports {sorted(imported - allowed)}"


# What changes a record when called on a model, a manager or a query.
WRITE_METHODS = {"create", "update", "delete", "save", "bulk_create", "bulk_update",
                 "get_or_create", "update_or_create"}  # fmt: skip


def writes_in(path):
    """Calls that write a model: ``thing.save()`` or ``.delete()``, and any write method
    reached through a manager (``Model.objects….update()``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, chain = node.func.attr, ast.unparse(node.func.value)
        through_manager = ".objects" in f".{chain}" and method in WRITE_METHODS
        if method in {"save", "delete"} or through_manager:
            found.append(f"line {node.lineno}: {chain}.{method}()")
    return found


@pytest.mark.parametrize("path", sorted((KAOHE / "api").glob("*.py")), ids=lambda p: p.name)
def test_the_api_writes_only_through_the_apps_actions(path):
    """The API is a door onto the apps: it keeps no records of its own, and whatever it
    changes, it changes by calling the same actions as the pages."""
    assert not (KAOHE / "api" / "models.py").exists()
    assert not writes_in(path), f"api/{path.name} writes models itself: {writes_in(path)}"
    assert not opens_transactions(path), f"api/{path.name} opens transactions itself"


def opens_transactions(path):
    return any(
        isinstance(node, ast.ImportFrom)
        and node.module in {"django.db", "django.db.transaction"}
        and (node.module.endswith("transaction") or "transaction" in {a.name for a in node.names})
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )


def test_the_write_check_sees_writes(tmp_path):
    """The check above would catch the writes the API once made itself."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "AccessToken.objects.filter(pk=1).update(last_used_at=now)\n"
        "TokenMinute.objects.create(token=t)\n"
        "token.save(update_fields=['revoked_at'])\n"
        "fields.update(dict.fromkeys(record))\n"  # a dict, not a model: not a write
    )
    assert [line.split(":")[0] for line in writes_in(sample)] == ["line 1", "line 2", "line 3"]
