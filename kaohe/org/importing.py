"""Importing the organisation from CSV or XLSX: read, validate, plan, and apply whole.

Headers may be Chinese or English. Rows are matched to people by employee number. Nothing
is written while any row is bad; a re-import of the same file changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaohe.accounts.sessions import end_sessions
from kaohe.audit.models import record
from kaohe.i18n import current_lang
from kaohe.tabular import Row, Table, TableError, normal_header, read_table

from .accounts import AccountRefused, apply_account, plan_account
from .leaving import read_leaving
from .models import PATH_SEPARATOR, Department, Employee, Position, RoleFamily
from .policy import Access, access_for

# A hire date further ahead than this is a typing mistake, not a planned start.
HIRE_DATE_TOLERANCE = timedelta(days=183)

# Canonical field → header spellings accepted (compared without spaces, case or "_").
HEADERS: dict[str, tuple[str, ...]] = {
    "number": ("工号", "员工编号", "员工工号", "employee_number", "employeeno", "number"),
    "name": ("姓名", "员工姓名", "name"),
    "department": ("部门", "部门路径", "所属部门", "department"),
    "position": ("岗位", "职位", "position"),
    "family": ("岗位类别", "岗位序列", "role_family", "family"),
    "manager": ("上级工号", "直属上级工号", "直属上级", "manager_number", "manager"),
    "hire_date": ("入职日期", "hire_date"),
    "email": ("邮箱", "电子邮箱", "email"),
    "username": ("账号", "登录名", "username"),
    "active": ("在职", "在职状态", "状态", "active"),
    "leaving_date": ("离职日期", "leaving_date"),
    "leaving_reason": ("离职原因", "离职类型", "leaving_reason"),
}
REQUIRED = ("number", "name", "department", "position")
# How the preview names each field, in the reader's language.
FIELD_LABELS = {
    "number": gettext_lazy("Employee number"),
    "name": gettext_lazy("Name"),
    "department": gettext_lazy("Department"),
    "position": gettext_lazy("Position"),
    "family": gettext_lazy("Role family"),
    "manager": gettext_lazy("Manager's employee number"),
    "hire_date": gettext_lazy("Hire date"),
    "email": gettext_lazy("Email"),
    "username": gettext_lazy("Sign-in name"),
    "active": gettext_lazy("Active"),
    "leaving_date": gettext_lazy("Leaving date"),
    "leaving_reason": gettext_lazy("Leaving reason"),
}

FAMILIES: dict[str, RoleFamily] = {
    **{f.value: f for f in RoleFamily},
    "客服": RoleFamily.CUSTOMER_SERVICE,
    "行政": RoleFamily.ADMINISTRATION,
    "技术支持": RoleFamily.TECHNICAL_SUPPORT,
    "总监": RoleFamily.DIRECTOR,
    "管理": RoleFamily.DIRECTOR,
    "其他": RoleFamily.OTHER,
}
TRUE_WORDS = {"1", "true", "yes", "y", "是", "在职", "有效"}
FALSE_WORDS = {"0", "false", "no", "n", "否", "离职", "停用"}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_SEPARATORS = re.compile(r"\s*[/／>＞]\s*")


_HEADER_LOOKUP = {
    normal_header(alias): name for name, aliases in HEADERS.items() for alias in aliases
}


@dataclass(frozen=True)
class Problem:
    line: int | None  # None for the file as a whole
    field: str
    reason: str

    @property
    def field_label(self) -> str:
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass
class Person:
    """One valid row, normalised."""

    line: int
    number: str
    name: str
    department: str  # path
    position: str
    family: str | None
    manager: str | None  # employee number
    hire_date: date | None
    email: str
    username: str
    active: bool
    leaving_date: date | None = None
    leaving_reason: str = ""
    # Whether the file has leaving columns; without them an inactive person keeps the
    # leaving date and reason kaohe holds.
    leaving_given: bool = False

    def snapshot(self) -> dict[str, object]:
        """Comparable with Employee.snapshot()."""
        return {
            "number": self.number,
            "name": self.name,
            "department": self.department,
            "position": self.position,
            "manager": self.manager,
            "hire_date": self.hire_date.isoformat() if self.hire_date else None,
            "email": self.email,
            "active": self.active,
            "leaving_date": self.leaving_date.isoformat() if self.leaving_date else None,
            "leaving_reason": self.leaving_reason or None,
            "username": self.username,
        }


@dataclass
class Change:
    person: Person
    before: dict[str, object] | None  # None for a new person
    after: dict[str, object]

    @property
    def fields(self) -> list[tuple[str, object, object]]:
        if self.before is None:
            return []
        return [
            (k, self.before.get(k), v) for k, v in self.after.items() if self.before.get(k) != v
        ]


@dataclass
class ImportPlan:
    file_name: str
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    creates: list[Change] = field(default_factory=list)
    updates: list[Change] = field(default_factory=list)
    unchanged: int = 0
    new_departments: list[str] = field(default_factory=list)
    new_positions: list[str] = field(default_factory=list)
    family_changes: dict[str, tuple[str, str]] = field(default_factory=dict)
    not_in_file: int = 0
    people: list[Person] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return bool(
            self.creates or self.updates or self.new_departments or self.new_positions
            or self.family_changes
        )  # fmt: skip


# --- reading and validating --------------------------------------------------------------


def plan_import(path: Path, file_name: str, actor: Any) -> ImportPlan:
    """Read and check the whole file against the database; writes nothing."""
    plan = ImportPlan(file_name)
    try:
        table = read_table(path, file_name)
    except TableError as error:
        plan.problems.append(Problem(None, "", error.text(current_lang())))
        return plan
    columns = _map_columns(table, plan)
    if plan.problems:
        return plan
    plan.rows = len(table.rows)
    people = [p for row in table.rows if (p := _read_row(row, columns, plan)) is not None]
    # Every number in the file, rows with problems included, so that a reference to such a
    # row says so rather than claiming the person does not exist.
    numbers_in_file = {
        number: row.line for row in table.rows if (number := _text(row, columns, "number"))
    }
    _check_across_rows(people, numbers_in_file, plan, access_for(actor))
    if plan.ok:
        plan.people = people
        _diff_against_database(people, plan)
    return plan


def _map_columns(table: Table, plan: ImportPlan) -> dict[str, int]:
    columns: dict[str, int] = {}
    for index, header in enumerate(table.headers):
        name = _HEADER_LOOKUP.get(normal_header(header))
        if name is None:
            if header:
                plan.ignored_columns.append(header)
        elif name in columns:
            plan.problems.append(Problem(table.header_line, header, _("this column appears twice")))
        else:
            columns[name] = index
    for name in REQUIRED:
        if name not in columns:
            spelled = " / ".join(HEADERS[name][:2] + HEADERS[name][-1:])
            plan.problems.append(
                Problem(table.header_line, name, _("required column missing (%s)") % spelled)
            )
    return columns


def _text(row: Row, columns: dict[str, int], name: str) -> str:
    if name not in columns:
        return ""
    cell = row.get(columns[name])
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # employee numbers typed into Excel become 1001.0
    return str(cell).strip()


def _read_row(row: Row, columns: dict[str, int], plan: ImportPlan) -> Person | None:
    problems: list[Problem] = []

    def problem(field_name: str, reason: str) -> None:
        problems.append(Problem(row.line, field_name, reason))

    values = {name: _text(row, columns, name) for name in HEADERS}
    for name in REQUIRED:
        if not values[name]:
            problem(name, _("required, but empty"))
    if len(values["number"]) > 32:
        problem("number", _("longer than 32 characters"))
    department = PATH_SEPARATOR.join(p for p in _SEPARATORS.split(values["department"]) if p)
    family = None
    if values["family"]:
        family = FAMILIES.get(values["family"].lower())
        if family is None:
            choices = "客服, 行政, 技术支持, 总监, 其他"
            problem("family", _("unknown role family %(value)r (use one of: %(choices)s)")
                    % {"value": values["family"], "choices": choices})  # fmt: skip
    hire_date = _date(row.get(columns["hire_date"]) if "hire_date" in columns else None)
    if hire_date is False:
        problem("hire_date", _("not a date: %r (use YYYY-MM-DD)") % values["hire_date"])
    elif hire_date and hire_date > timezone.localdate() + HIRE_DATE_TOLERANCE:
        problem("hire_date", _("%(day)s is too far in the future for a hire date")
                % {"day": hire_date.isoformat()})  # fmt: skip
    active = True
    if values["active"]:
        word = values["active"].lower()
        if word not in TRUE_WORDS | FALSE_WORDS:
            problem("active", _("expected 是/否 or yes/no, got %r") % values["active"])
        active = word in TRUE_WORDS
    leaving_date, leaving_reason = _leaving(row, columns, values, active, hire_date, problem)
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            problem("email", _("not an email address: %r") % values["email"])
    # Without a sign-in name the person keeps their account, or a new one is named after
    # their employee number (decided against the database, in _check_across_rows).
    username = values["username"]
    try:
        UnicodeUsernameValidator()(username or values["number"])
    except ValidationError:
        problem("username", _("not a valid sign-in name: %r") % (username or values["number"]))
    if values["manager"] and values["manager"] == values["number"]:
        problem("manager", _("a person cannot be their own manager"))
    if problems:
        plan.problems.extend(problems)
        return None
    return Person(
        line=row.line,
        number=values["number"],
        name=values["name"],
        department=department,
        position=values["position"],
        family=family.value if family else None,
        manager=values["manager"] or None,
        hire_date=hire_date or None,
        email=values["email"],
        username=username,
        active=active,
        leaving_date=leaving_date,
        leaving_reason=leaving_reason,
        leaving_given="leaving_date" in columns or "leaving_reason" in columns,
    )


def _leaving(
    row: Row, columns: dict[str, int], values: dict[str, str], active: bool,
    hire_date: date | bool | None, problem: Any,
) -> tuple[date | None, str]:  # fmt: skip
    day = _date(row.get(columns["leaving_date"]) if "leaving_date" in columns else None)
    if day is False:
        problem("leaving_date", _("not a date: %r (use YYYY-MM-DD)") % values["leaving_date"])
        day = None
    found = read_leaving(
        day or None, values["leaving_reason"], active=active,
        hired=hire_date if isinstance(hire_date, date) else None, today=timezone.localdate(),
    )  # fmt: skip
    for field_name, reason in found.problems:
        problem(field_name, reason)
    return found.on, found.reason


def _date(cell: object) -> date | bool | None:
    """A date from a cell; None when empty, False when it is not a date."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    match = _DATE.match(str(cell).strip())
    if not match:
        return False
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return False


def _check_across_rows(
    people: list[Person], numbers_in_file: dict[str, int], plan: ImportPlan, access: Access
) -> None:
    existing = {
        e.number: e for e in Employee.objects.select_related("department", "user", "manager")
    }
    scope = access.department_paths_in_scope()
    seen: dict[str, int] = {}
    seen_usernames: dict[str, int] = {}
    family_of: dict[str, tuple[str, int]] = {}
    for person in people:
        current = existing.get(person.number)
        if not person.username:
            has_account = current is not None and current.user is not None
            person.username = current.user.get_username() if has_account else person.number
        first = seen.setdefault(person.number, person.line)
        if first != person.line:
            message = _("employee number %(number)s also appears on line %(line)d")
            plan.problems.append(
                Problem(person.line, "number", message % {"number": person.number, "line": first})
            )
        first = seen_usernames.setdefault(person.username, person.line)
        if first != person.line:
            message = _("sign-in name %(name)s also appears on line %(line)d")
            plan.problems.append(
                Problem(person.line, "username", message % {"name": person.username, "line": first})
            )
        if person.family:
            first = family_of.setdefault(person.position, (person.family, person.line))
            if first[0] != person.family:
                plan.problems.append(
                    Problem(
                        person.line,
                        "family",
                        _("position %(position)s has role family %(family)s on line %(line)d")
                        % {"position": person.position, "family": first[0], "line": first[1]},
                    )
                )
        _check_scope(person, existing.get(person.number), access, scope, plan)
        _check_account(person, existing.get(person.number), access, plan)
    valid = {p.number for p in people}
    for person in people:
        if not person.manager or person.manager in valid or person.manager in existing:
            continue
        line = numbers_in_file.get(person.manager)
        if line is not None:
            reason = _("the manager %(number)s is on line %(line)d, which has problems of its own")
            plan.problems.append(
                Problem(person.line, "manager", reason % {"number": person.manager, "line": line})
            )
        else:
            plan.problems.append(
                Problem(
                    person.line,
                    "manager",
                    _("no employee has the number %s, in this file or in kaohe") % person.manager,
                )
            )
    _check_cycles(people, existing, plan)
    plan.problems.sort(key=lambda p: (p.line or 0, p.field))


def _check_account(
    person: Person, current: Employee | None, access: Access, plan: ImportPlan
) -> None:
    try:
        plan_account(access, current, person.username)
    except AccountRefused as refused:
        plan.problems.append(Problem(person.line, "username", str(refused)))


def _check_scope(
    person: Person, current: Employee | None, access: Access, scope: set[str] | None,
    plan: ImportPlan,
) -> None:  # fmt: skip
    if scope is None:
        return
    target_ok = any(
        person.department == path or person.department.startswith(path + PATH_SEPARATOR)
        for path in scope
    )
    current_ok = current is None or access.can_edit_employee(current)
    if not (target_ok and current_ok):
        plan.problems.append(
            Problem(person.line, "department", _("outside the departments you administer"))
        )


def _check_cycles(people: list[Person], existing: dict[str, Employee], plan: ImportPlan) -> None:
    manager_of = {n: (e.manager.number if e.manager else None) for n, e in existing.items()}
    manager_of.update({p.number: p.manager for p in people})
    line_of = {p.number: p.line for p in people}
    for person in people:
        chain = [person.number]
        current = manager_of.get(person.number)
        while current is not None and current not in chain:
            chain.append(current)
            current = manager_of.get(current)
        if current == person.number:
            loop = " → ".join([*chain, person.number])
            plan.problems.append(
                Problem(
                    line_of[person.number], "manager", _("reporting lines form a loop: %s") % loop
                )
            )


def _diff_against_database(people: list[Person], plan: ImportPlan) -> None:
    existing = {
        e.number: e
        for e in Employee.objects.select_related("department", "position", "manager", "user")
    }
    for person in people:
        current = existing.get(person.number)
        if current is not None and not person.leaving_given and not person.active:
            person.leaving_date = current.leaving_date
            person.leaving_reason = current.leaving_reason
        after = person.snapshot()
        if current is None:
            plan.creates.append(Change(person, None, after))
            continue
        before = current.snapshot()
        if before["username"] is None:
            before["username"] = person.username  # linking a new account is not a change...
            if not get_user_model().objects.filter(username=person.username).exists():
                before["username"] = None  # ...unless the account has to be made
        if before == after:
            plan.unchanged += 1
        else:
            plan.updates.append(Change(person, before, after))
    known_paths = set(Department.objects.values_list("path", flat=True))
    wanted = {
        PATH_SEPARATOR.join(parts[:depth])
        for p in people
        for parts in [p.department.split(PATH_SEPARATOR)]
        for depth in range(1, len(parts) + 1)
    }
    plan.new_departments = sorted(wanted - known_paths)
    positions = dict(Position.objects.values_list("name", "family"))
    plan.new_positions = sorted({p.position for p in people} - set(positions))
    for person in people:
        known = positions.get(person.position)
        if person.family and known is not None and known != person.family:
            plan.family_changes[person.position] = (known, person.family)
    plan.not_in_file = len(set(existing) - {p.number for p in people})


# --- applying ----------------------------------------------------------------------------


def apply_import(plan: ImportPlan, actor: Any) -> None:
    """Write a checked plan in one transaction: everything or nothing."""
    if not plan.ok:
        raise ValueError("cannot apply a plan with problems")
    if not plan.has_changes:
        return
    with transaction.atomic(durable=True):
        departments = _ensure_departments(plan.new_departments)
        positions = _ensure_positions(plan)
        employees = {e.number: e for e in Employee.objects.select_related("user")}
        access = access_for(actor)
        for change in [*plan.creates, *plan.updates]:
            retired = _write_person(access, change.person, employees, departments, positions)
            if retired is not None:
                record(actor, "account.retire", retired, before={"active": True},
                       after={"active": False}, note=change.person.name)  # fmt: skip
        for change in [*plan.creates, *plan.updates]:
            _link_manager(change.person, employees)
        for change in plan.creates:
            record(actor, "employee.create", employees[change.person.number], after=change.after,
                   note=_("imported from %s") % plan.file_name)  # fmt: skip
        for change in plan.updates:
            record(actor, "employee.update", employees[change.person.number],
                   before=change.before, after=change.after,
                   note=_("imported from %s") % plan.file_name)  # fmt: skip
        record(actor, "org.import", None, after=summary(plan), note=plan.file_name)


def summary(plan: ImportPlan) -> dict[str, object]:
    return {
        "file": plan.file_name,
        "rows": plan.rows,
        "created": len(plan.creates),
        "updated": len(plan.updates),
        "unchanged": plan.unchanged,
        "new_departments": len(plan.new_departments),
        "new_positions": len(plan.new_positions),
    }


def _ensure_departments(new_paths: list[str]) -> dict[str, Department]:
    departments = {d.path: d for d in Department.objects.all()}
    for path in sorted(new_paths, key=lambda p: p.count(PATH_SEPARATOR)):
        parent_path, _sep, name = path.rpartition(PATH_SEPARATOR)
        departments[path] = Department.objects.create(
            name=name, path=path, parent=departments.get(parent_path) if parent_path else None
        )
    return departments


def _ensure_positions(plan: ImportPlan) -> dict[str, Position]:
    families = {p.position: p.family for p in plan.people if p.family}
    positions = {p.name: p for p in Position.objects.all()}
    for name in plan.new_positions:
        family = families.get(name, RoleFamily.OTHER)
        positions[name] = Position.objects.create(name=name, family=family)
    for name, (_old, new) in plan.family_changes.items():
        Position.objects.filter(pk=positions[name].pk).update(family=new)
    return positions


def _write_person(
    access: Access,
    person: Person,
    employees: dict[str, Employee],
    departments: dict[str, Department],
    positions: dict[str, Position],
) -> Any:
    """Write one person; returns the account they moved away from, now retired, if any."""
    employee = employees.get(person.number) or Employee(number=person.number)
    employee.name = person.name
    employee.department = departments[person.department]
    employee.position = positions[person.position]
    employee.hire_date = person.hire_date
    employee.email = person.email
    employee.active = person.active
    employee.leaving_date = person.leaving_date
    employee.leaving_reason = person.leaving_reason
    retired = apply_account(employee, plan_account(access, employee, person.username))
    if retired is not None:
        transaction.on_commit(lambda: end_sessions(retired))
    if employee.user.is_active != person.active:
        employee.user.is_active = person.active
        employee.user.save(update_fields=["is_active"])
    employee.save()
    employees[person.number] = employee
    return retired


def _link_manager(person: Person, employees: dict[str, Employee]) -> None:
    employee = employees[person.number]
    manager = employees.get(person.manager) if person.manager else None
    if manager is None and person.manager:
        manager = Employee.objects.get(number=person.manager)
    if employee.manager_id != (manager.pk if manager else None):
        employee.manager = manager
        employee.save(update_fields=["manager"])
