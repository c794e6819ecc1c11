"""The demo's 360: the leads' reviews merge small groups into "others", the director's hides
its too-few subordinates, most agents' team spirit is fed by their peers, and the current
cycle leaves the leads' and the director's reviews open."""

import pytest

from kaohe.appraisals.demo import HISTORY_NAME, _launched
from kaohe.appraisals.inputs import fed_values
from kaohe.demo import load_demo
from kaohe.reviews.demo import demo_reviews
from kaohe.reviews.models import CustomerLink, Review
from kaohe.reviews.results import summary_of


@pytest.fixture
def cycle(db):
    load_demo()
    return _launched(HISTORY_NAME, "2026-Q2", {})


def test_the_history_cycle_s_reviews_are_closed_with_merged_and_hidden_groups(cycle):
    started = demo_reviews(cycle, released=True)
    assert started == Review.objects.filter(cycle=cycle).count() > 40
    assert not Review.objects.filter(cycle=cycle).exclude(state=Review.State.CLOSED).exists()
    director = Review.objects.get(cycle=cycle, reviewee__position__name="客服总监")
    summary = summary_of(director)
    assert summary.hidden == ("subordinates",)
    assert {g.key for g in summary.shown} == {"self", "manager"}
    lead = Review.objects.filter(cycle=cycle, reviewee__position__name="客服组长").first()
    lead_summary = summary_of(lead)
    others = lead_summary.group("others")
    assert others is not None
    assert set(others.members) == {"partners", "customers"}
    assert {"peers", "subordinates"} <= {g.key for g in lead_summary.shown}
    assert CustomerLink.objects.filter(review=lead).exclude(used_on=None).count() == 2
    agents = Review.objects.filter(cycle=cycle, reviewee__position__name="客服专员")
    fed = [fed_values(r.appraisal, r.appraisal.version.scheme()) for r in agents]
    with_value = [v for v in fed if "peer_review_score" in v]
    assert len(with_value) > 0.8 * len(fed)
    assert len(with_value) < len(fed)  # every seventh has only two peers: no value
    assert demo_reviews(cycle, released=True) == 0  # once only


def test_the_current_cycle_leaves_the_leads_and_the_director_open(cycle):
    demo_reviews(cycle, released=False)
    reviews = Review.objects.filter(cycle=cycle)
    open_ones = reviews.filter(state=Review.State.OPEN)
    positions = set(open_ones.values_list("reviewee__position__name", flat=True))
    assert positions <= {"客服总监", "客服组长", "行政主管", "技术支持主管"}
    assert open_ones.filter(reviewee__position__name="客服总监").exists()
    assert reviews.filter(reviewee__position__name="客服专员", state=Review.State.CLOSED).exists()
