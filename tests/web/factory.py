"""A small organisation with named people, one per role, for web tests.

企服部                      dora (director, manages mike and lena)
企服部/客服中心/客服一组    mike (team lead) → ann, amy (agents)
企服部/客服中心/客服二组    lena (team lead) → bob (agent)
人力资源部                  alice (HR admin, whole organisation)
                            harry (HR admin for 客服中心 only)
总经理办公室                eve (executive viewer)
nobody                      an account with no employee record
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from kaohe.org.models import AccessGrant, Department, Employee, GrantRole, Position, RoleFamily

PASSWORD = "test-pass-7Qm"


@dataclass
class Org:
    departments: dict[str, Department]
    people: dict[str, Employee]
    users: dict[str, object]


def department(path: str, made: dict[str, Department]) -> Department:
    if path not in made:
        parent, _sep, name = path.rpartition("/")
        made[path] = Department.objects.create(
            name=name, path=path, parent=department(parent, made) if parent else None
        )
    return made[path]


def build_org() -> Org:
    from kaohe.demo import built_in_rows

    built_in_rows()  # a transactional test's flush empties what the migrations made
    user_model = get_user_model()
    made: dict[str, Department] = {}
    positions = {
        "director": Position.objects.create(name="客服总监", family=RoleFamily.DIRECTOR),
        "lead": Position.objects.create(name="客服组长", family=RoleFamily.CUSTOMER_SERVICE),
        "agent": Position.objects.create(name="客服专员", family=RoleFamily.CUSTOMER_SERVICE),
        "hr": Position.objects.create(name="绩效专员", family=RoleFamily.OTHER),
        "exec": Position.objects.create(name="总经理", family=RoleFamily.OTHER),
    }
    people: dict[str, Employee] = {}
    users: dict[str, object] = {}

    def person(key, number, name, path, position, manager=None):
        user = user_model.objects.create_user(username=key, password=PASSWORD)
        users[key] = user
        people[key] = Employee.objects.create(
            number=number,
            name=name,
            department=department(path, made),
            position=positions[position],
            manager=people.get(manager),
            user=user,
        )

    person("eve", "E001", "伊芙", "总经理办公室", "exec")
    person("dora", "D001", "朵拉", "企服部", "director", "eve")
    person("mike", "M001", "麦克", "企服部/客服中心/客服一组", "lead", "dora")
    person("lena", "L001", "莉娜", "企服部/客服中心/客服二组", "lead", "dora")
    person("ann", "A001", "安妮", "企服部/客服中心/客服一组", "agent", "mike")
    person("amy", "A002", "艾米", "企服部/客服中心/客服一组", "agent", "mike")
    person("bob", "B001", "鲍勃", "企服部/客服中心/客服二组", "agent", "lena")
    person("alice", "H001", "爱丽丝", "人力资源部", "hr", "eve")
    person("harry", "H002", "哈利", "人力资源部", "hr", "eve")
    users["nobody"] = user_model.objects.create_user(username="nobody", password=PASSWORD)

    AccessGrant.objects.create(user=users["alice"], role=GrantRole.HR_ADMIN)
    scoped = AccessGrant.objects.create(user=users["harry"], role=GrantRole.HR_ADMIN)
    scoped.departments.add(made["企服部/客服中心"])
    AccessGrant.objects.create(user=users["eve"], role=GrantRole.EXECUTIVE)
    return Org(made, people, users)


def store_metrics_for_everyone(period: str, value: float) -> None:
    """What `kaohe metrics` leaves, without data to compute it from: one value for every
    metric a built-in scheme reads, for every employee (and the organisation)."""
    from kaohe.core import builtin_names, load_scheme
    from kaohe.data.models import MetricRecord, MetricRun

    run = MetricRun.objects.create(period=period)
    keys = {
        spec.metric
        for name in builtin_names()
        for spec in load_scheme(name).inputs.values()
        if spec.metric
    }
    numbers = list(Employee.objects.values_list("number", flat=True))
    records = []
    for key in sorted(keys, key=str):
        subjects = {(key.subject_type, key.subject(number)) for number in numbers}
        records += [
            MetricRecord(
                run=run, subject_type=kind, subject=subject, metric=key.metric, value=value
            )
            for kind, subject in sorted(subjects)
        ]
    MetricRecord.objects.bulk_create(records)


def unlinked_account(username: str, *, superuser=False, staff=False, role=None):
    """An account with no employee record: the operator's first account (``kaohe manage
    createsuperuser``), a staff account, or one holding a granted role; plain otherwise."""
    user_model = get_user_model()
    if superuser:
        user = user_model.objects.create_superuser(username, f"{username}@example.com", PASSWORD)
    else:
        user = user_model.objects.create_user(username=username, password=PASSWORD, is_staff=staff)
    if role is not None:
        AccessGrant.objects.create(user=user, role=role)
    return user
