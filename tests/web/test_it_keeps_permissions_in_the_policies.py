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
    "api/policy.py": {"kaohe.org.policy", "kaohe.api.models"},
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
    for app in apps_with_actions - {"accounts"}:
        assert (KAOHE / app / "policy.py").is_file(), app
    assert set(POLICY_IMPORTS) == {
        p.relative_to(KAOHE).as_posix() for p in KAOHE.glob("*/policy.py")
    }


@pytest.mark.parametrize(("relative", "allowed"), sorted(POLICY_IMPORTS.items()))
def test_policy_modules_import_nothing_above_them(relative, allowed):
    package = "kaohe." + relative.rsplit("/", 1)[0].replace("/", ".")
    imported = kaohe_imports(KAOHE / relative, package)
    assert imported <= allowed, f"{relative} imports {sorted(imported - allowed)}"
