"""The demo organisation: a 企服部 with a director, three customer-service teams, an
administration group and a technical-support group, plus an HR admin. Names are generated
from common Chinese surnames and given names, the same every time.

The demo password exists only here, for these accounts; it is never a default elsewhere.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.db import transaction

from .org.actions import do_grant_role
from .org.models import Department, Employee, GrantRole, Position, RoleFamily

DEMO_PASSWORD = "kaohe-demo"
DEMO_ACCOUNTS = [
    ("hr", "HR admin · 绩效专员"),
    ("director", "customer-service director · 客服总监"),
    ("manager", "customer-service team lead · 客服组长"),
    ("agent", "agent on that team · 客服专员"),
    ("exec", "executive viewer · 总经理 (read-only)"),
]
ROOT = "企服部"

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万严武戴孔汤"
)
_GIVEN_NAMES = """
伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 文 辉 鑫 婷 雪 琳 晨 浩 宇
欣 怡 佳 子涵 思远 雨桐 梓萱 一鸣 嘉怡 浩然 宇航 诗涵 俊杰 晓东 海燕 春梅 建华 志强 丽娟 文静
晓峰 红梅 国庆 玉兰 振华 慧敏 佳琪 子豪 欣怡 梦瑶 天宇 博文
"""
_GIVEN = tuple(_GIVEN_NAMES.split())


def mail_folder() -> Path:
    """Where the demo's mail goes: a folder of the home, one file per sending."""
    return Path(settings.HOME) / "mail"


class DemoMailBackend(FileBackend):
    """Django's file backend, writing to the demo's mail folder unless given another:
    ``kaohe demo`` chooses it by name in KAOHE_MAIL_BACKEND, which carries no options, so
    the folder is the backend's own default."""

    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, file_path=file_path or str(mail_folder()), **kwargs)


class _Names:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def next(self) -> str:
        while True:
            name = self.rng.choice(_SURNAMES) + self.rng.choice(_GIVEN)
            if name not in self.used:
                self.used.add(name)
                return name


def load_demo() -> bool:
    """Create the demo organisation unless it is already there; True when created."""
    built_in_rows()
    if Department.objects.filter(path=ROOT).exists():
        return False
    with transaction.atomic():
        _build()
    # The roles beyond the org chart, granted as the operator grants them.
    user_model = get_user_model()
    do_grant_role(None, user_model.objects.get(username="hr"), GrantRole.HR_ADMIN)
    do_grant_role(None, user_model.objects.get(username="exec"), GrantRole.EXECUTIVE)
    return True


def built_in_rows() -> None:
    """The built-in badges and starting company values, which the migrations make: made
    again should the database have been emptied since (a flush keeps no migration's rows)."""
    from kaohe.points.builtins import ensure_builtin_badges
    from kaohe.points.models import Badge
    from kaohe.recognition.models import CompanyValue
    from kaohe.recognition.values import ensure_starting_values

    ensure_builtin_badges(Badge)
    ensure_starting_values(CompanyValue)


def _build() -> None:
    names = _Names(2026)
    rng = random.Random(7)
    departments = _departments()
    positions = {
        name: Position.objects.get_or_create(name=name, defaults={"family": family})[0]
        for name, family in [
            ("客服总监", RoleFamily.DIRECTOR),
            ("客服组长", RoleFamily.CUSTOMER_SERVICE),
            ("客服专员", RoleFamily.CUSTOMER_SERVICE),
            ("行政主管", RoleFamily.ADMINISTRATION),
            ("行政专员", RoleFamily.ADMINISTRATION),
            ("采购专员", RoleFamily.ADMINISTRATION),
            ("技术支持主管", RoleFamily.TECHNICAL_SUPPORT),
            ("技术支持工程师", RoleFamily.TECHNICAL_SUPPORT),
            ("绩效专员", RoleFamily.OTHER),
            ("总经理", RoleFamily.OTHER),
        ]
    }
    counter = iter(range(1, 10_000))

    def person(
        department: str, position: str, manager: Employee | None, username: str | None = None
    ) -> Employee:
        number = f"QF{next(counter):04d}"
        hired = date(2018, 1, 1) + timedelta(days=rng.randrange(0, 8 * 365))
        employee = Employee.objects.create(
            number=number,
            name=names.next(),
            department=departments[department],
            position=positions[position],
            manager=manager,
            hire_date=hired,
            email=f"{number.lower()}@example.com",
        )
        _account(employee, username)
        return employee

    general_manager = person("总经理办公室", "总经理", None, "exec")
    director = person(ROOT, "客服总监", general_manager, "director")
    person("人力资源部", "绩效专员", general_manager, "hr")
    for team, size in (("客服一组", 14), ("客服二组", 13), ("客服三组", 13)):
        path = f"{ROOT}/客服中心/{team}"
        lead = person(path, "客服组长", director, "manager" if team == "客服一组" else None)
        for index in range(size):
            username = "agent" if team == "客服一组" and index == 0 else None
            person(path, "客服专员", lead, username)
    admin_lead = person(f"{ROOT}/行政组", "行政主管", director)
    for position in ["行政专员"] * 4 + ["采购专员"] * 3:
        person(f"{ROOT}/行政组", position, admin_lead)
    support_lead = person(f"{ROOT}/技术支持组", "技术支持主管", director)
    for _index in range(7):
        person(f"{ROOT}/技术支持组", "技术支持工程师", support_lead)


def _departments() -> dict[str, Department]:
    paths = [
        "总经理办公室",
        "人力资源部",
        ROOT,
        f"{ROOT}/客服中心",
        f"{ROOT}/客服中心/客服一组",
        f"{ROOT}/客服中心/客服二组",
        f"{ROOT}/客服中心/客服三组",
        f"{ROOT}/行政组",
        f"{ROOT}/技术支持组",
    ]
    made: dict[str, Department] = {}
    for path in paths:
        parent, _sep, name = path.rpartition("/")
        made[path] = Department.objects.create(name=name, path=path, parent=made.get(parent))
    return made


def _account(employee: Employee, username: str | None) -> None:
    """Demo accounts get the demo password; everyone else an account without one."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username or employee.number.lower(),
        email=employee.email,
        password=DEMO_PASSWORD if username else None,
    )
    employee.user = user
    employee.save(update_fields=["user"])
