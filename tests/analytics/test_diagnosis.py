"""The organisation diagnosis: mean attainment per cell, and the indicators where many
people score low — more than 40 % under 60 %, with at least 5 people."""

from decimal import Decimal as D

from kaohe.analytics import Attainment, diagnose


def people(indicator, shares, group="一组"):
    return [Attainment(f"{group}{n}", indicator, group, D(s)) for n, s in enumerate(shares)]


def test_cells_hold_the_mean_share_of_points_and_the_number_of_people():
    found = diagnose(people("csat", ["0.5", "0.7", "0.9"]) + people("csat", ["1"], "二组"))
    assert found.cells[("csat", "一组")].mean == D("0.7")
    assert found.cells[("csat", "一组")].people == 3
    assert found.overall["csat"].mean == D("0.775")
    assert found.groups == ["一组", "二组"]


def test_an_indicator_is_weak_when_more_than_forty_per_cent_score_under_sixty():
    # 3 of 6 under 0.6 (50 %): weak. 2 of 5 (exactly 40 %): not more than 40 %, not weak.
    weak = people("info_utilization", ["0.5", "0.4", "0.59", "0.8", "0.9", "0.6"])
    border = people("fcr", ["0.5", "0.4", "0.6", "0.8", "0.9"])
    found = diagnose(weak + border)
    assert [w.indicator for w in found.weaknesses] == ["info_utilization"]
    assert (found.weaknesses[0].low, found.weaknesses[0].people) == (3, 6)
    assert found.weaknesses[0].share == D("0.5")


def test_fewer_than_five_people_are_never_named():
    assert diagnose(people("nps", ["0.1", "0.2", "0.3", "0.4"])).weaknesses == []
    assert diagnose(people("nps", ["0.1", "0.2", "0.3", "0.4"]), min_people=4).weaknesses


def test_weaknesses_come_weakest_share_first():
    found = diagnose(people("a", ["0.1"] * 3 + ["0.9"] * 2) + people("b", ["0.1"] * 5))
    assert [w.indicator for w in found.weaknesses] == ["b", "a"]
