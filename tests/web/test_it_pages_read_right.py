"""Every page of the demo, as each demo account sees it, reads right: no number with more
than two decimals, no English sentence on a Chinese page, no placeholder for something that
exists, and no Chinese punctuation in English interface text.

The metric values stored for the demo carry fifteen decimals on purpose, as real
computations do: a page that shows them unrounded fails here.
"""

import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from kaohe.appraisals.models import Appraisal, Cycle
from kaohe.org.models import Employee
from kaohe.schemes.models import SchemeVersion
from tests.web.factory import store_metrics_for_everyone

ACCOUNTS = ("hr", "director", "manager", "agent", "exec")
# A value as a computation leaves it: fifteen decimals.
RAW_VALUE = 93.13719062448779


class _Text(HTMLParser):
    """The text a reader sees: not scripts, styles or attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "code", "textarea"):
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "code", "textarea"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo organisation and its cycle, with metric values of full precision."""
    from kaohe.appraisals.demo import launch_demo_cycle
    from kaohe.demo import load_demo

    with django_db_blocker.unblock():
        load_demo()
        store_metrics_for_everyone("2026-Q3", RAW_VALUE)
        launch_demo_cycle()
        yield
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)


def pages_of(account: str) -> list[str]:
    """The pages an account would open, across every kind and a sample of appraisals."""
    urls = [reverse(name) for name in ("home", "appraisals", "notifications", "org-chart")]
    urls += [reverse("appraisals") + "?waiting=1", reverse("password-change")]
    me = Employee.objects.get(user__username=account)
    urls.append(reverse("person", args=[me.number]))
    if account in ("manager", "director", "exec"):
        urls.append(reverse("team"))
    if account in ("hr", "exec"):
        urls.append(reverse("people"))
    if account == "hr":
        cycle = Cycle.objects.get()
        scheme = SchemeVersion.objects.get(code="cs-agent", number=1)
        urls += [reverse(name) for name in ("cycles", "cycle-new", "schemes", "audit-log")]
        urls += [reverse(name) for name in ("data-import", "org-import", "person-new")]
        urls += [reverse("cycle", args=[cycle.pk]), reverse("scheme-edit", args=[scheme.pk])]
    from kaohe.appraisals import policy
    from kaohe.org.policy import Access

    visible = policy.visible_appraisals(Access(me.user))
    for state in {a.state for a in visible}:  # one appraisal in each state it may see
        urls.append(reverse("appraisal", args=[visible.filter(state=state).first().pk]))
    return urls


LONG_NUMBER = re.compile(r"(?<![\d.:-])\d+\.\d{3,}(?![\d:])")
# Three English words in a row make a sentence; codes (cs-agent, professional_skill), file
# kinds and the product's name are single words and pass.
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")
ALLOWED_RUNS = {"kaohe"}
CHINESE_PUNCTUATION = re.compile(r".{0,12}[、：].{0,12}")
PLACEHOLDERS = re.compile(
    r"coming release|will come later|come later|arrive here|coming soon|敬请期待|即将推出|稍后提供"
)


def fetched(account: str, url: str, language: str) -> str:
    client = Client()
    client.force_login(Employee.objects.get(user__username=account).user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200, (account, url, response.status_code)
    return visible_text(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("account", ACCOUNTS)
def test_chinese_pages_read_as_chinese_and_round_their_numbers(demo, account):
    for url in pages_of(account):
        text = fetched(account, url, "zh-hans")
        assert not LONG_NUMBER.findall(text), (url, LONG_NUMBER.findall(text)[:3])
        runs = [run for run in ENGLISH_RUN.findall(text) if run.lower() not in ALLOWED_RUNS]
        assert not runs, (url, runs[:3])
        assert not PLACEHOLDERS.search(text), (url, PLACEHOLDERS.search(text).group(0))


@pytest.mark.django_db
@pytest.mark.parametrize("account", ["hr", "agent"])
def test_english_pages_round_their_numbers_and_hold_no_placeholder(demo, account):
    for url in pages_of(account):
        text = fetched(account, url, "en")
        assert not LONG_NUMBER.findall(text), (url, LONG_NUMBER.findall(text)[:3])
        assert not PLACEHOLDERS.search(text), url
        # Lists and labels are punctuated in English ("a, b", "Target: "), not in Chinese.
        assert not CHINESE_PUNCTUATION.findall(text), (url, CHINESE_PUNCTUATION.findall(text)[:3])


def test_the_checks_catch_what_they_look_for():
    """The patterns above find what a broken page would show."""
    assert LONG_NUMBER.findall("接通率: 93.13719062448779") == ["93.13719062448779"]
    assert LONG_NUMBER.findall("14.461538461538448 / 30") == ["14.461538461538448"]
    assert not LONG_NUMBER.findall("2026-12-02 08:18:56 · 93.1% · 1,234.50 · v1.2")
    assert ENGLISH_RUN.findall("得分 Nothing is waiting on you") == ["Nothing is waiting on you"]
    assert not ENGLISH_RUN.findall("方案 cs-agent v1 · professional_skill · CSV / XLSX")
    assert PLACEHOLDERS.search("Appraisal cycles arrive here in a coming release.")
    assert visible_text("<p>a<script>b c d</script><code>x y z</code></p>") == "a"


def test_every_demo_state_is_among_the_pages(demo, db):
    states = set(Appraisal.objects.values_list("state", flat=True))
    assert len(states) >= 10
