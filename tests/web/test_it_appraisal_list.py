"""The appraisal list: which rows each person sees and in what order, the score, pay,
"waits on you" and bulk checkbox of every row — each checked against the policy's answer
for that one appraisal — and a number of queries that does not grow with the rows.

The organisation is the factory's, with sixty more agents in mike's team whose employee
numbers run against the order they were made in, and two cycles: enough appraisals for
three pages, in every state, some with a locked result and one with a second version.
"""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kaohe.appraisals import policy
from kaohe.appraisals.launch import start_launch
from kaohe.appraisals.models import Appraisal, Result
from kaohe.appraisals.views import BULK_ACTIONS, LIST_PAGE
from kaohe.appraisals.workflow import ACTIONS, State
from kaohe.org.models import Employee
from kaohe.org.policy import Access
from kaohe.schemes.library import import_builtin_schemes
from tests.web.workflow import new_cycle

EXTRA_AGENTS = 60
READERS = ["alice", "harry", "eve", "dora", "mike", "lena", "ann", "bob", "nobody"]
ROW = re.compile(r"<tr>(.*?)</tr>", re.S)


@pytest.fixture
def cycles(org):
    """Two launched cycles over 企服部, the second newer; appraisals spread over the states."""
    mike = org.people["mike"]
    agent = org.people["ann"].position
    Employee.objects.bulk_create(
        Employee(number=f"X{EXTRA_AGENTS - i:03d}", name=f"坐席{i}", department=mike.department,
                 position=agent, manager=mike)
        for i in range(EXTRA_AGENTS)
    )  # fmt: skip
    import_builtin_schemes()
    made = []
    for name in ("2026 Q2", "2026 Q3"):
        cycle = new_cycle(
            org.users["alice"], name=name, period=name.replace(" ", "-"),
            departments=[org.departments["企服部"]],
        )  # fmt: skip
        start_launch(cycle, wait=True)
        made.append(cycle)
    states = list(State)
    for index, appraisal in enumerate(Appraisal.objects.order_by("pk")):
        state = states[index % len(states)]
        Appraisal.objects.filter(pk=appraisal.pk).update(state=state)
        if state in (State.FINALISED, State.APPEAL, State.CLOSED):
            lock(appraisal, 1, Decimal("81.50"), "B", Decimal("3200.00"))
    adjusted = Appraisal.objects.filter(state=State.CLOSED).first()
    lock(adjusted, 2, Decimal("86.00"), "A", Decimal("3900.00"))
    return made


def lock(appraisal, number, total, grade, pay):
    Result.objects.create(
        appraisal=appraisal, number=number, total=total, grade=grade,
        coefficient=Decimal("1.000"), pay=pay,
    )  # fmt: skip


def expected(user, **filters):
    """What the list must show, from the policy's answer for each appraisal on its own."""
    access = Access(user)
    everything = Appraisal.objects.select_related("employee", "cycle").filter(**filters)
    seen = [a for a in everything if policy.can_view_appraisal(access, a)]
    return sorted(seen, key=lambda a: (-a.cycle.created_at.timestamp(), a.employee.number))


def listed(client, query=""):
    """The rows of every page: (appraisal id, the row's cells as text, ticked-box offered)."""
    rows, page = [], 1
    while True:
        response = client.get(f"{reverse('appraisals')}?page={page}&{query}")
        assert response.status_code == 200
        body = response.content.decode()
        table = body[body.index("<tbody>") : body.index("</tbody>")]
        for row in ROW.findall(table):
            link = re.search(r'href="/appraisals/(\d+)/"', row)
            if link:
                rows.append((int(link.group(1)), row, 'name="appraisal"' in row))
        if f"{page} / " not in body or f"?page={page + 1}&" not in body:
            return rows
        page += 1


@pytest.mark.parametrize("key", READERS)
def test_each_reader_sees_what_the_policy_lets_them_see_newest_cycle_first(
    cycles, org, client_for, key
):
    rows = listed(client_for(key))
    assert [pk for pk, _row, _box in rows] == [a.pk for a in expected(org.users[key])]


@pytest.mark.parametrize("key", ["alice", "harry", "mike"])
@pytest.mark.parametrize("state", [State.DRAFT, State.FINALISED, State.APPEAL])
def test_a_state_filter_keeps_the_order_and_the_visibility(cycles, org, client_for, key, state):
    rows = listed(client_for(key), f"state={state}")
    assert [pk for pk, _row, _box in rows] == [a.pk for a in expected(org.users[key], state=state)]


def test_the_pages_follow_on_across_the_two_cycles(cycles, org, client_for):
    everyone = expected(org.users["alice"])
    assert len(everyone) > 2 * LIST_PAGE  # three pages, the second spanning both cycles
    client = client_for("alice")
    for page in (1, 2, 3):
        body = client.get(f"{reverse('appraisals')}?page={page}").content.decode()
        shown = [int(pk) for pk in re.findall(r'href="/appraisals/(\d+)/"', body)]
        assert shown == [a.pk for a in everyone[(page - 1) * LIST_PAGE : page * LIST_PAGE]]


@pytest.mark.parametrize("key", READERS)
def test_each_row_offers_a_checkbox_exactly_when_a_bulk_action_is_the_readers_to_take(
    cycles, org, client_for, key
):
    access = Access(org.users[key])
    for pk, _row, box in listed(client_for(key)):
        appraisal = Appraisal.objects.select_related("employee").get(pk=pk)
        offered = {a.name for a in policy.available_actions(access, appraisal)}
        assert box == bool(offered & set(BULK_ACTIONS)), (key, pk, appraisal.state)


@pytest.mark.parametrize("key", ["alice", "harry", "dora", "mike", "ann"])
def test_the_badge_marks_exactly_what_waits_on_the_reader(cycles, org, client_for, key):
    waiting = set(
        Appraisal.objects.filter(policy.waiting_on(Access(org.users[key]))).values_list(
            "pk", flat=True
        )
    )
    for pk, row, _box in listed(client_for(key)):
        assert ("badge-warn" in row) == (pk in waiting), (key, pk)


def test_scores_show_the_latest_result_and_pay_only_to_whom_may_see_it_on_every_row(
    cycles, org, client_for
):
    adjusted = Result.objects.get(number=2).appraisal
    plain = Appraisal.objects.filter(state=State.FINALISED, employee__manager=org.people["mike"])
    plain = plain.first()
    for key, sees_pay in (("alice", True), ("eve", True), ("harry", False), ("mike", False)):
        rows = {pk: row for pk, row, _box in listed(client_for(key))}
        assert "86.00 · A" in rows[adjusted.pk], key
        assert "81.50" not in rows[adjusted.pk]  # the first version no longer counts
        assert "81.50 · B" in rows[plain.pk], key
        assert ("3,900.00" in rows[adjusted.pk]) == sees_pay, key
        assert ("3,200.00" in rows[plain.pk]) == sees_pay, key
        unscored = next(pk for pk, row in rows.items() if "·" not in row)
        assert "<td>—</td>" in rows[unscored]


@pytest.mark.parametrize("key", ["alice", "harry", "eve", "dora", "mike", "ann", "nobody"])
def test_a_page_costs_a_few_queries(cycles, client_for, key, django_assert_max_num_queries):
    client = client_for(key)
    client.get(reverse("appraisals"))  # the session, once
    with django_assert_max_num_queries(20):  # a query for each row would make it seventy
        client.get(reverse("appraisals"))


@pytest.mark.parametrize("key", ["alice", "harry", "mike"])
def test_fifty_rows_cost_no_more_queries_than_a_few(cycles, org, client_for, key):
    client = client_for(key)
    client.get(reverse("appraisals"))
    with CaptureQueriesContext(connection) as many:
        full = client.get(reverse("appraisals"))  # fifty rows, all in the newer cycle
    with CaptureQueriesContext(connection) as few:
        part = client.get(f"{reverse('appraisals')}?state={State.APPEAL}")  # a few, in both
    assert full.content.decode().count("<tr>") > 4 * part.content.decode().count("<tr>") > 4
    # Reading a page along the employee numbers takes one query more than sorting it.
    assert len(many) <= len(few) + 1, [q["sql"][:100] for q in many.captured_queries]


# --- the policy's answers for many at once agree with its answers one at a time ----------


@pytest.mark.parametrize("key", READERS)
def test_the_page_answers_of_the_policy_agree_with_its_answers_for_one(cycles, org, key):
    access = Access(org.users[key])
    page = list(Appraisal.objects.select_related("employee"))
    roles = policy.roles_on_each(Access(org.users[key]), page)
    bulk = [ACTIONS[name] for name in BULK_ACTIONS]
    actions = policy.actions_on_each(Access(org.users[key]), page, bulk)
    waiting = policy.waiting_on_among(Access(org.users[key]), page)
    by_filter = set(
        Appraisal.objects.filter(policy.waiting_on(access)).values_list("pk", flat=True)
    )
    for appraisal in page:
        assert roles[appraisal.pk] == policy.roles_on(access, appraisal)
        alone = [a for a in policy.available_actions(access, appraisal) if a.name in BULK_ACTIONS]
        assert actions[appraisal.pk] == alone
    assert waiting == by_filter


@pytest.mark.parametrize("key", READERS)
def test_reports_and_visible_people_are_the_org_charts(cycles, org, key):
    user = org.users[key]
    me = Employee.objects.filter(user=user).first()
    below = frozenset(me.everyone_below()) if me else frozenset()
    assert Access(user).report_ids == below
    everyone = list(Employee.objects.values_list("pk", flat=True))
    assert Access(user).managed_among(everyone) == set(below)
    people = Access(user).people_filter("employee")
    ids = Access(user).people_ids()
    visible = Appraisal.objects.filter(people) if people is not None else Appraisal.objects.all()
    assert set(visible.values_list("employee_id", flat=True)) == {
        a.employee_id for a in Appraisal.objects.all() if ids is None or a.employee_id in ids
    }


def test_reports_reach_every_level_and_inactive_people(org):
    """Three levels under dora, one of them an inactive manager with a report."""
    mike = org.people["mike"]
    gone = Employee.objects.create(
        number="G001", name="离职组长", department=mike.department, position=mike.position,
        manager=org.people["ann"], active=False,
    )  # fmt: skip
    deep = Employee.objects.create(
        number="G002", name="深层", department=mike.department, position=mike.position,
        manager=gone,
    )  # fmt: skip
    for key in ("eve", "dora", "mike", "ann"):
        me = org.people[key]
        assert Access(org.users[key]).report_ids == frozenset(me.everyone_below()), key
    assert {gone.pk, deep.pk} <= Access(org.users["dora"]).report_ids
    assert Access(org.users["ann"]).managed_among([deep.pk, mike.pk]) == {deep.pk}


# --- the new-cycle page, benchmarked beside the list ---------------------------------------


@pytest.mark.parametrize(
    "posted", [None, {"name": "Q3"}, {"name": "Q3", "departments": ["first", "last"]}]
)
def test_the_new_cycle_checkboxes_are_djangos_markup_character_for_character(org, posted):
    from django import forms

    from kaohe.appraisals.forms import CycleForm
    from kaohe.org.models import Department

    Department.objects.create(name='<b>"R&D"</b>', path='企服部/<b>"R&D"</b>\'')
    ids = list(Department.objects.order_by("path").values_list("pk", flat=True))
    if posted and "departments" in posted:
        posted = {**posted, "departments": [str(ids[0]), str(ids[-1])]}
    access = Access(org.users["alice"])
    django_form, ours = CycleForm(posted, access=access), CycleForm(posted, access=access)
    field = django_form.fields["departments"]
    field.widget = forms.CheckboxSelectMultiple(field.widget.attrs, field.choices)
    if posted:
        assert not django_form.is_valid()
        assert not ours.is_valid()
    assert str(ours["departments"]) == str(django_form["departments"])
    assert "&lt;b&gt;&quot;R&amp;D&quot;" in str(ours["departments"])


def test_the_new_cycle_page_offers_every_department_in_scope(org, client_for):
    page = client_for("harry").get(reverse("cycle-new")).content.decode()
    offered = set(re.findall(r'name="departments" value="(\d+)"', page))
    assert offered == {
        str(pk)
        for pk in Access(org.users["harry"]).departments_in_scope().values_list("pk", flat=True)
    }
