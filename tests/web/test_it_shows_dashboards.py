"""The dashboards: each figure against a hand computation on a small organisation, and who
may open which dashboard over whom (pages and API alike).

The organisation is the factory's: mike leads ann and amy, lena leads bob, dora leads
both leads, eve (executive) leads dora; harry is HR for 客服中心 only; nobody has no
employee record."""

from decimal import Decimal

import pytest

from kaohe.appraisals.models import Appraisal
from kaohe.data.models import MetricRecord, MetricRun
from tests.web.factory import store_metrics_for_everyone
from tests.web.workflow import launched_cycle

# (employee number, csat top-two answers, csat answers, QA passed, QA evaluations,
#  own-queue answered (weighted), own-queue base, handle seconds, calls)
JULY = [
    ("A001", 45, 50, 19, 20, 92.0, 100, 36_000, 100),  # ann
    ("A002", 27, 30, 8, 10, 88.0, 100, 30_000, 60),  # amy
    ("B001", 16, 20, 9, 10, 45.0, 50, 24_000, 50),  # bob
]
JUNE = [("A001", 40, 50, 18, 20, 90.0, 100, 40_000, 100)]


def stored(period, rows, org=None):
    """What `kaohe metrics` leaves for a period: numerators, denominators and values."""
    run = MetricRun.objects.create(period=period)
    records = []
    for number, top, answers, passed, evaluated, answered, base, handle, calls in rows:
        for subject_type, metric, numerator, denominator, scale in [
            ("employee", "csat_rate", top, answers, 100),
            ("employee", "qa_pass_rate", passed, evaluated, 100),
            ("agent_queues", "answer_rate", answered, base, 100),
            ("employee", "aht_seconds", handle, calls, 1),
        ]:
            records.append(MetricRecord(
                run=run, subject_type=subject_type, subject=number, metric=metric,
                numerator=numerator, denominator=denominator,
                value=scale * numerator / denominator,
            ))  # fmt: skip
    for metric, value in (org or {}).items():
        records.append(
            MetricRecord(run=run, subject_type="org", subject="org", metric=metric, value=value)
        )
    MetricRecord.objects.bulk_create(records)
    return run


@pytest.fixture
def months(org):
    stored("2026-06", JUNE, {"csat_rate": 80.0})
    stored("2026-07", JULY, {"csat_rate": 88.8, "answer_rate": 90.5})


def kpi(answer, key):
    return next(k for k in answer["kpis"] if k["key"] == key)


# --- figures ---------------------------------------------------------------------------------


def test_the_team_figure_is_the_ratio_of_its_peoples_sums(months, api_for):
    answer = api_for("mike").get("/api/v1/dashboards/team").json()
    assert answer["period"] == "2026-07"  # the latest month with values
    # ann and amy: CSAT (45 + 27) / (50 + 30) = 90 %, not the mean of 90 % and 90 %... and
    # QA (19 + 8) / (20 + 10) = 90 %, where the mean of 95 % and 80 % would be 87.5 %.
    assert kpi(answer, "csat")["value"] == pytest.approx(90.0)
    assert kpi(answer, "qa")["value"] == pytest.approx(90.0)
    assert kpi(answer, "qa")["people"] == 2
    # Their own queues: (92 + 88) / (100 + 100); handle time (36,000 + 30,000) / 160 s.
    assert kpi(answer, "answer_rate")["value"] == pytest.approx(90.0)
    assert kpi(answer, "aht")["value"] == pytest.approx(412.5)
    assert kpi(answer, "aht")["shown"] == "413 s"
    assert kpi(answer, "csat")["whose"] == "您的团队"
    # The trend: June holds only ann's 40 / 50.
    assert kpi(answer, "csat")["trend"] == [
        {"period": "2026-06", "value": pytest.approx(80.0)},
        {"period": "2026-07", "value": pytest.approx(90.0)},
    ]


def test_targets_come_from_the_scheme_where_it_sets_one_else_the_default_table(months, api_for):
    answer = api_for("mike").get("/api/v1/dashboards/team").json()
    qa, aht = kpi(answer, "qa"), kpi(answer, "aht")
    assert qa["target"] == 95  # cs-agent's best QA tier starts at 95
    assert qa["target_source"] == "客服坐席绩效考核"
    assert qa["met"] is False
    assert aht["target"] == 420  # no scheme scores handle time: the default table
    assert aht["target_source"] == ""
    assert aht["met"] is True  # 412.5 s, lower is better


def test_a_directors_centres_and_teams(months, api_for):
    answer = api_for("dora").get("/api/v1/dashboards/leaders").json()
    assert answer["people"] == 5  # mike, lena, ann, amy, bob
    # Everyone below dora: CSAT (45 + 27 + 16) / (50 + 30 + 20) = 88 %.
    assert kpi(answer, "csat")["value"] == pytest.approx(88.0)
    centres = {c["name"]: c for c in answer["centres"]}
    assert set(centres) == {"客服中心"}
    qa = next(k for k in centres["客服中心"]["kpis"] if k["key"] == "qa")
    assert qa["value"] == pytest.approx(100 * 36 / 40)
    teams = {t["name"]: {k["key"]: k["value"] for k in t["kpis"]} for t in answer["teams"]}
    assert teams["麦克团队"]["csat"] == pytest.approx(90.0)
    assert teams["莉娜团队"]["csat"] == pytest.approx(80.0)  # bob alone: 16 / 20


def test_the_executive_reads_the_organisations_figures_as_the_catalog_stores_them(months, api_for):
    answer = api_for("eve").get("/api/v1/dashboards/leaders").json()
    assert answer["scope"] == "全公司"
    assert kpi(answer, "csat")["value"] == pytest.approx(88.8)
    assert kpi(answer, "csat")["people"] == 0
    assert kpi(answer, "answer_rate")["value"] == pytest.approx(90.5)
    assert kpi(answer, "csat")["trend"][0] == {"period": "2026-06", "value": 80.0}


def test_my_figures_are_mine_and_colleagues_only_from_five_people(months, api_for, org):
    answer = api_for("ann").get("/api/v1/dashboards/mine").json()
    assert kpi(answer, "csat")["value"] == pytest.approx(90.0)  # 45 / 50
    assert kpi(answer, "qa")["value"] == pytest.approx(95.0)
    assert kpi(answer, "qa")["met"] is True
    assert kpi(answer, "answer_rate")["whose"] == "本人所在队列"
    assert answer["colleagues"] == {}  # amy alone shares mike: no aggregate of one person


def test_colleagues_figure_shows_over_five_people_and_leaves_me_out(months, api_for, org):
    from kaohe.org.models import Employee

    july = MetricRun.objects.get(period="2026-07")
    amy = org.people["amy"]
    for n in range(4):  # amy and four more share mike with ann: five colleagues
        Employee.objects.create(
            number=f"X{n}", name=f"同事{n}", department=amy.department,
            position=amy.position, manager=org.people["mike"],
        )  # fmt: skip
        MetricRecord.objects.create(
            run=july, subject_type="employee", subject=f"X{n}", metric="csat_rate",
            numerator=3, denominator=10, value=30,
        )  # fmt: skip
    answer = api_for("ann").get("/api/v1/dashboards/mine").json()
    # amy 27 / 30 and four times 3 / 10: (27 + 12) / (30 + 40) = 55.7 %; ann's own 45 / 50
    # is not in it.
    assert answer["colleagues"]["csat"] == "55.7%"


def test_pages_show_the_figures_with_charts_tables_and_words(months, page_for):
    page = page_for("mike", "zh").get("/dashboard/team/").content.decode()
    assert "团队看板" in page
    assert "90.0%" in page
    assert "<svg" in page
    assert "<title" in page
    assert "<desc" in page
    assert "以表格显示" in page  # every chart's table view
    english = page_for("mike").get("/dashboard/team/").content.decode()
    assert "CSAT · your team by period: 2026-06 80.0%; 2026-07 90.0%. Target 95.0%." in english
    assert "<script" not in english.split("<main", 1)[1]


# --- provisional scores, projection, next tier ----------------------------------------------


@pytest.fixture
def quarter(org):
    """The running quarter with ann's scores; her latest month, August, worse in QA."""
    store_metrics_for_everyone("2026-Q3", 93.0)
    store_metrics_for_everyone("2026-07", 93.0)
    store_metrics_for_everyone("2026-08", 93.0)
    august = MetricRun.objects.get(period="2026-08")
    MetricRecord.objects.filter(run=august, subject="A001", metric="qa_pass_rate").update(value=80)
    cycle = launched_cycle(org)
    for appraisal in Appraisal.objects.filter(cycle=cycle):
        appraisal.ratings = {"professional_skill": "3", "collaboration": "3"}
        appraisal.save()
    return cycle


def test_the_projection_weighs_the_latest_month_for_the_rest_of_the_quarter(quarter, api_for):
    scores = {
        s["employee"]: s for s in api_for("mike").get("/api/v1/dashboards/team").json()["scores"]
    }
    assert set(scores) == {"A001", "A002"}  # mike's team only
    ann, amy = scores["A001"], scores["A002"]
    assert ann["total"] == amy["total"]  # the same quarter so far
    # August's QA 80 % scores 0 of 30 where the quarter's 93 % scores 20: 20 of the
    # capability dimension's 100 points at 20 % weight cost 4 points of August's total;
    # July and August gone, a third of the quarter still to go as August went: −4/3.
    expected = (Decimal(ann["total"]) - Decimal(4) / 3).quantize(Decimal("0.01"))
    assert Decimal(ann["projected"]) == expected
    assert amy["projected"] == amy["total"]


def test_my_next_tier_says_how_much_more_moves_me(quarter, api_for):
    answer = api_for("ann").get("/api/v1/dashboards/mine").json()
    moves = {m["id"]: m for m in answer["moves"]}
    qa = moves["qa_pass_rate"]  # 93 % of the quarter: ≥ 95 % moves 20 → 30 points
    assert (qa["change"], qa["needed"], qa["points_now"], qa["points_then"]) == (
        "2", "≥ 95%", "20", "30",
    )  # fmt: skip
    assert qa["more"] is True
    assert qa["percent"] is True
    assert answer["score"]["total"] is not None


def test_the_page_words_the_next_tier_in_both_languages(quarter, page_for):
    english = page_for("ann").get("/dashboard/mine/").content.decode()
    assert (
        "2 more points of QA pass rate (93% now, ≥ 95% needed) moves you to the next tier"
        in english
    )
    chinese = page_for("ann", "zh").get("/dashboard/mine/").content.decode()
    assert "录音抽检合格率再提高 2 个百分点" in chinese


def test_what_waits_on_the_manager_is_marked(quarter, api_for):
    Appraisal.objects.filter(cycle=quarter, employee__number="A001").update(state="manager_review")
    Appraisal.objects.filter(cycle=quarter, employee__number="A002").update(state="confirming")
    scores = api_for("mike").get("/api/v1/dashboards/team").json()["scores"]
    # ann's review is mike's step; amy's confirmation is amy's.
    assert {s["employee"]: s["waits_on_me"] for s in scores} == {"A001": True, "A002": False}


# --- policies -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "leaders", "team", "mine"),
    [
        ("ann", 403, 403, 200),
        ("mike", 403, 200, 200),
        ("dora", 200, 200, 200),
        ("eve", 200, 200, 200),
        ("harry", 403, 403, 200),
        ("nobody", 403, 403, 403),
    ],
)
def test_who_may_open_which_dashboard(months, client_for, api_for, who, leaders, team, mine):
    client, api = client_for(who), api_for(who)
    for name, status in [("leaders", leaders), ("team", team), ("mine", mine)]:
        assert client.get(f"/dashboard/{name}/").status_code == status, name
        assert api.get(f"/api/v1/dashboards/{name}").status_code == status, name


def test_anonymous_readers_are_sent_to_sign_in(client):
    answer = client.get("/dashboard/team/")
    assert answer.status_code == 302
    assert "/login/" in answer["Location"]


def test_dashboard_opens_the_readers_first_one_and_tabs_show_each_role(months, page_for):
    assert page_for("eve").get("/dashboard/")["Location"] == "/dashboard/leaders/"
    assert page_for("mike").get("/dashboard/")["Location"] == "/dashboard/team/"
    assert page_for("ann").get("/dashboard/")["Location"] == "/dashboard/mine/"
    assert page_for("nobody").get("/dashboard/").status_code == 403
    eve = page_for("eve").get("/dashboard/leaders/").content.decode()
    for tab in ("leaders", "team", "mine"):
        assert f'data-tab="{tab}"' in eve
    assert 'data-tab="hr"' not in eve  # eve holds no HR grant
    ann = page_for("ann").get("/dashboard/mine/").content.decode()
    assert 'data-testid="dashboard-tabs"' not in ann  # one dashboard: no tabs


def test_a_manager_sees_their_team_only(months, page_for, api_for):
    page = page_for("mike").get("/dashboard/team/").content.decode()
    assert "B001" not in page
    assert "鲍勃" not in page
    lena = api_for("lena").get("/api/v1/dashboards/team").json()
    assert kpi(lena, "csat")["value"] == pytest.approx(80.0)  # bob's 16 / 20 alone
    assert kpi(lena, "qa")["people"] == 1


def test_an_agent_sees_only_themselves(months, api_for):
    bob = api_for("bob").get("/api/v1/dashboards/mine").json()
    assert kpi(bob, "csat")["value"] == pytest.approx(80.0)
    assert kpi(bob, "csat")["people"] == 1


def test_the_hr_dashboard_may_be_opened_by_hr_staff_only(org):
    from kaohe.org.policy import Access
    from kaohe.reports.policy import can_open_hr_dashboard

    assert can_open_hr_dashboard(Access(org.users["alice"]))
    assert can_open_hr_dashboard(Access(org.users["harry"]))
    for who in ("eve", "dora", "mike", "ann", "nobody"):
        assert not can_open_hr_dashboard(Access(org.users[who])), who


def test_a_new_import_changes_the_cached_figures(months, api_for):
    before = kpi(api_for("mike").get("/api/v1/dashboards/team").json(), "csat")["value"]
    stored("2026-08", [("A001", 10, 50, 1, 2, 1.0, 2, 1, 1)])
    after = api_for("mike").get("/api/v1/dashboards/team").json()
    assert before == pytest.approx(90.0)
    assert after["period"] == "2026-08"
    assert kpi(after, "csat")["value"] == pytest.approx(20.0)


# --- the leaders' cycle figures ---------------------------------------------------------------


def lock(appraisal, grade, total, pay):
    from kaohe.appraisals.models import Result

    appraisal.state = "closed"
    appraisal.base_pay = Decimal(3000)
    appraisal.save()
    Result.objects.create(appraisal=appraisal, number=1, total=Decimal(total), grade=grade,
                          coefficient=Decimal(1), pay=Decimal(pay))  # fmt: skip


def test_progress_grades_and_budget_for_a_director(months, org, api_for):
    from tests.web.workflow import appraisal_of

    cycle = launched_cycle(org)
    lock(appraisal_of(cycle, org, "ann"), "B", 85, 3000)
    lock(appraisal_of(cycle, org, "amy"), "C", 72, 2400)
    answer = api_for("dora").get("/api/v1/dashboards/leaders").json()
    # Everyone below dora (not dora): mike, lena, ann, amy, bob; two locked.
    assert answer["progress"]["total"] == 5
    assert answer["progress"]["done"] == 2
    assert sum(s["count"] for s in answer["progress"]["states"]) == 5
    assert answer["distribution"]["counts"] == {"B": 1, "C": 1}
    assert answer["distribution"]["provisional"] is False
    assert answer["budget"] == []  # three appraisals still running: no finished cycle
    for key, grade, total in (("mike", "B", 81), ("lena", "A", 91), ("bob", "D", 62),
                              ("dora", "B", 88)):  # fmt: skip
        lock(appraisal_of(cycle, org, key), grade, total, 3000)
    answer = api_for("eve").get("/api/v1/dashboards/leaders").json()
    rows = {row["department"]: row for row in answer["budget"]}
    # 客服一组: ann 3,000 + amy 2,400 + mike 3,000 on a base of 3 × 3,000.
    assert Decimal(rows["客服一组"]["pay_total"]) == Decimal(8400)
    assert Decimal(rows["客服一组"]["base_total"]) == Decimal(9000)
    assert answer["budget_cycle"] == cycle.name
    director = api_for("dora").get("/api/v1/dashboards/leaders").json()
    assert director["budget"] == []  # the budget is for HR and executives


def test_the_charts_say_their_figures_in_words_and_in_a_table(db):
    from django.utils import translation

    from kaohe.reports import charts

    translation.activate("en")

    def shown(value):
        return f"{value:.1f}%"

    line = charts.trend("CSAT", [("2026-07", 90.0), ("2026-08", None), ("2026-09", 92.5)],
                        shown, 95.0)  # fmt: skip
    assert line.summary == "CSAT by period: 2026-07 90.0%; 2026-08 —; 2026-09 92.5%. Target 95.0%."
    assert line.table.rows == [["2026-07", "90.0%"], ["2026-08", "—"], ["2026-09", "92.5%"]]
    assert 'stroke-dasharray="5 4"' in line.svg  # the target
    assert "<script" not in line.svg
    bars = charts.bars("Grades", [charts.Bar("A", 2, (1, 3)), charts.Bar("E", 4, (0, 1), True)],
                       lambda v: str(int(v)), "people")  # fmt: skip
    assert bars.table.rows == [["A", "2", "1–3"], ["E", "4", "0–1"]]
    assert bars.summary == "Grades: A 2; E 4 people."
    heat = charts.heatmap("Attainment", ["QA"], ["组一", "组二"], {("QA", "组一"): 0.5},
                          lambda v: f"{round(v * 100)}%")  # fmt: skip
    assert heat.table.rows == [["QA", "50%", "—"]]
    assert charts.heat_colour(0.5) != charts.heat_colour(0.9)
    label = charts.trend("<b>", [("x", 1.0)], str).svg
    assert "<b>" not in label
    assert "&lt;b&gt;" in label
