"""The organisation: departments as a tree, positions with a role family, employees.

People are never deleted, only deactivated: appraisals and the audit log refer to them.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PATH_SEPARATOR = "/"


class Department(models.Model):
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # The full path, e.g. 企服部/客服中心/客服一组: how imports name a department.
    path = models.CharField(_("path"), max_length=500, unique=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return self.path

    @property
    def depth(self) -> int:
        return self.path.count(PATH_SEPARATOR)


def subtree_ids(roots: Iterable[int]) -> set[int]:
    """The given departments and every department below them."""
    children: dict[int | None, list[int]] = {}
    for department_id, parent_id in Department.objects.values_list("id", "parent_id"):
        children.setdefault(parent_id, []).append(department_id)
    found: set[int] = set()
    pending = list(roots)
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(children.get(current, ()))
    return found


class RoleFamily(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    ADMINISTRATION = "administration", _("Administration")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    DIRECTOR = "director", _("Director")
    OTHER = "other", _("Other")


class Position(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    family = models.CharField(
        _("role family"), max_length=32, choices=RoleFamily.choices, default=RoleFamily.OTHER
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return self.name


class LeavingReason(models.TextChoices):
    """Why someone was deactivated. Only a resignation is what the attrition model learns
    to foresee (see kaohe.insights.attrition_features); a transfer within the group is no
    exit at all, and the others are the employer's decision or the calendar's."""

    RESIGNED = "resigned", _("Resigned")
    DISMISSED = "dismissed", _("Dismissed")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    RETIRED = "retired", _("Retired")
    TRANSFERRED = "transferred", _("Transferred within the group")
    OTHER = "other", _("Other")


class EmployeeQuerySet(models.QuerySet["Employee"]):
    def active(self) -> EmployeeQuerySet:
        return self.filter(active=True)

    def in_departments(self, department_ids: Iterable[int]) -> EmployeeQuerySet:
        return self.filter(department_id__in=list(department_ids))


class Employee(models.Model):
    number = models.CharField(_("employee number"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="members"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="holders"
    )
    manager = models.ForeignKey(
        "self",
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="direct_reports",
    )
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    email = models.EmailField(_("email"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Set when a person is deactivated because they left (or moved within the group);
    # cleared when they are reactivated. The audit log keeps the earlier values.
    leaving_date = models.DateField(_("leaving date"), null=True, blank=True)
    leaving_reason = models.CharField(
        _("leaving reason"), max_length=16, choices=LeavingReason.choices, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="employee",
    )

    objects = EmployeeQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self) -> str:
        return f"{self.name} ({self.number})"

    def everyone_below(self) -> set[int]:
        """Everyone who reports to this person, directly or through others, active or not."""
        reports_of: dict[int, list[int]] = {}
        for employee_id, manager_id in Employee.objects.exclude(manager=None).values_list(
            "id", "manager_id"
        ):
            reports_of.setdefault(manager_id, []).append(employee_id)
        found: set[int] = set()
        pending = list(reports_of.get(self.pk, ()))
        while pending:
            current = pending.pop()
            if current not in found:
                found.add(current)
                pending.extend(reports_of.get(current, ()))
        return found

    def snapshot(self) -> dict[str, object]:
        """The fields the audit log keeps, before and after a change."""
        return {
            "number": self.number,
            "name": self.name,
            "department": self.department.path,
            "position": self.position.name,
            "manager": self.manager.number if self.manager else None,
            "hire_date": self.hire_date.isoformat() if self.hire_date else None,
            "email": self.email,
            "active": self.active,
            "leaving_date": self.leaving_date.isoformat() if self.leaving_date else None,
            "leaving_reason": self.leaving_reason or None,
            "username": self.user.get_username() if self.user else None,
        }


class GrantRole(models.TextChoices):
    HR_ADMIN = "hr_admin", _("HR admin")
    EXECUTIVE = "executive", _("Executive viewer")


class AccessGrant(models.Model):
    """A role beyond what the org chart implies: HR admin or executive viewer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_grants"
    )
    role = models.CharField(_("role"), max_length=16, choices=GrantRole.choices)
    # Empty means the whole organisation; otherwise these departments and all below them.
    departments = models.ManyToManyField(Department, blank=True, verbose_name=_("departments"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="one_grant_per_role"),
        ]
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
