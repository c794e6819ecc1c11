"""The appraisal page's "Customer sentiment (context, not scored)" card: the agent's three
figures for the appraisal's period beside their team's and the centre's, each saying whose
it is, rounded for people; no figure where there are no calls or comments (never a zero);
a team figure only over enough colleagues; shown to whoever may read the appraisal, never
more. The expected figures are worked out in ``sentiment_data``'s docstring."""

import re

import pytest
from django.urls import reverse

from kaohe.data import services

from .sentiment_data import more_agents_in, with_metrics
from .workflow import appraisal_of, launched_cycle


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path / "home"


@pytest.fixture
def cycle(org):
    return launched_cycle(org)  # 2026-Q3 over 企服部


def card_of(page):
    found = re.search(
        r'<section class="card" data-testid="sentiment-card">.*?</section>', page, re.S
    )
    return found.group(0) if found else None


def cells(card):
    """Each row of the card: its label and its three cells (own, team, centre) as text."""
    rows = []
    for row in re.findall(r"<tr>\s*(.*?)</tr>", card, re.S):
        texts = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        if texts:
            rows.append([" ".join(text.split()) for text in texts])
    return rows


def open_card(page_for, key, appraisal):
    response = page_for(key).get(reverse("appraisal", args=[appraisal.pk]))
    assert response.status_code == 200
    return card_of(response.content.decode())


def test_the_card_shows_the_agents_figures_beside_the_centres(page_for, org, cycle, tmp_path):
    with_metrics(org.users["alice"], tmp_path / "files")
    card = open_card(page_for, "mike", appraisal_of(cycle, org, "ann"))
    assert "Customer sentiment (context, not scored)" in card
    # Whose each column is: the person, their team (their department), the whole centre.
    assert '<th data-whose="own">安妮</th>' in card
    assert '<th data-whose="team">Team 客服一组</th>' in card
    assert '<th data-whose="centre">Whole contact centre</th>' in card
    ending, recovered, comments = cells(card)
    assert ending == ["Calls whose customer ended negative", "50% 1 of 2 calls", "no figure",
                      "60% 3 of 5 calls"]  # fmt: skip
    assert recovered[1:] == ["50% 1 of 2 calls", "no figure", "33% 1 of 3 calls"]
    own_mean = float(comments[1].split()[0])
    assert 0.3 < own_mean < 0.7  # one angry comment, one pleased: near the middle
    assert comments[1].endswith("over 2 comments")
    assert float(comments[3].split()[0]) > own_mean  # the centre's has amy's pleased one too
    assert re.fullmatch(r"0\.\d\d", comments[1].split()[0])  # rounded for people
    # Too few colleagues for a team figure: said, and none shown.
    assert "shown only over at least five colleagues besides the person" in card
    assert "Not part of the score" in card
    assert "docs/insights.md" in card


def test_a_team_figure_is_shown_over_five_colleagues_or_more(page_for, org, cycle, tmp_path):
    with_metrics(org.users["alice"], tmp_path / "files")
    more_agents_in(org, "企服部/客服中心/客服一组", 5, tmp_path / "files", org.users["alice"])
    services.store_metrics("2026-Q3")
    ending, recovered, comments = cells(
        open_card(page_for, "mike", appraisal_of(cycle, org, "ann"))
    )
    # 客服一组: ann's 2 calls, amy's 1 and five more that ended negative.
    assert ending[1:] == ["50% 1 of 2 calls", "75% 6 of 8 calls", "80% 8 of 10 calls"]
    # Of the team's 7 calls that started negative, ann's c2 recovered: 14 %, rounded.
    assert recovered[2] == "14% 1 of 7 calls"
    assert comments[2] == "no figure"  # only amy beside ann has comments


def test_no_calls_no_comments_means_no_figure_not_zero(page_for, org, cycle, tmp_path):
    lena = appraisal_of(cycle, org, "lena")
    before = open_card(page_for, "dora", lena)  # nothing imported, nothing computed
    assert (
        "No figure: 莉娜 has no transcribed calls or scored survey comments in 2026-Q3." in before
    )
    with_metrics(org.users["alice"], tmp_path / "files")
    after = open_card(page_for, "dora", lena)  # lena (a team lead) took no call
    assert 'data-testid="no-sentiment"' in after
    assert "0%" not in after


def test_a_person_who_takes_no_calls_has_no_card(page_for, org, cycle, tmp_path):
    with_metrics(org.users["alice"], tmp_path / "files")
    page = page_for("eve").get(reverse("appraisal", args=[appraisal_of(cycle, org, "dora").pk]))
    assert card_of(page.content.decode()) is None  # the director


def test_the_figures_are_in_chinese_too(page_for, org, cycle, tmp_path):
    with_metrics(org.users["alice"], tmp_path / "files")
    page = page_for("ann", "zh-hans").get(
        reverse("appraisal", args=[appraisal_of(cycle, org, "ann").pk])
    )
    card = card_of(page.content.decode())
    assert "客户情绪（仅供参考，不计分）" in card
    assert "1 / 2 通" in card
    assert "客服中心整体" in card


@pytest.mark.parametrize("key", ["ann", "mike", "dora", "harry", "eve", "alice"])
def test_whoever_may_read_the_appraisal_reads_the_card(page_for, org, cycle, tmp_path, key):
    """ann herself, her rater, the director above, HR in scope and for everyone, and the
    executive who is also a manager (of dora, not of ann)."""
    with_metrics(org.users["alice"], tmp_path / "files")
    card = open_card(page_for, key, appraisal_of(cycle, org, "ann"))
    assert cells(card)[0][1] == "50% 1 of 2 calls"


@pytest.mark.parametrize("key", ["amy", "bob", "lena", "nobody"])
def test_nobody_else_reads_it(page_for, org, cycle, tmp_path, key):
    with_metrics(org.users["alice"], tmp_path / "files")
    response = page_for(key).get(reverse("appraisal", args=[appraisal_of(cycle, org, "ann").pk]))
    assert response.status_code == 404
    assert "1 of 2 calls" not in response.content.decode()
