"""The synthetic data generator: repeatable, and every row it writes imports cleanly."""

import hashlib
import itertools
import statistics
from datetime import date, datetime
from zoneinfo import ZoneInfo

from kaohe.metrics import (
    CatalogOptions,
    ImportOptions,
    Lake,
    Staff,
    call_sentiment,
    compute,
    generate,
    import_file,
    parse_period,
    sources_in_order,
)

from .keywords import generated_words_scorer

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 1, tzinfo=ZONE)

STAFF = [
    Staff("D1", "director"),
    Staff("L1", "lead", "客服一组"),
    *(Staff(f"A{n}", "agent", "客服一组") for n in range(4)),
    Staff("B1", "buyer"),
    Staff("M1", "admin"),
    Staff("T1", "tech"),
]


def digest(paths):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def test_the_same_arguments_write_the_same_files(tmp_path):
    first, counts = generate(tmp_path / "a", STAFF, date(2026, 9, 28), date(2026, 10, 9))
    second, _ = generate(tmp_path / "b", STAFF, date(2026, 9, 28), date(2026, 10, 9))
    assert digest(first) == digest(second)
    assert counts.calls > 0
    assert counts.tickets > 0


def test_generated_files_import_without_a_single_problem(tmp_path):
    files, counts = generate(tmp_path / "data", STAFF, date(2026, 9, 1), date(2026, 9, 30))
    lake = Lake(tmp_path / "lake")
    options = ImportOptions(zone=ZONE, now=NOW, report_dir=tmp_path / "reports")
    for source, path in sources_in_order(files):
        batch = import_file(lake, source, path, path.name, options)  # raises on any bad row
        assert batch.accepted == getattr(counts, source)
    values = compute(lake, parse_period("2026-09"), CatalogOptions(zone=ZONE, now=NOW))
    org = {v.metric: v.value for v in values if v.subject_type == "org"}
    assert 85 < org["answer_rate"] < 97  # about 10 % unanswered, a third of those short
    assert 200 < org["avg_talk_seconds"] < 450
    assert org["csat_rate"] > 70
    assert org["kb_updates"] > 0


def test_holidays_are_quieter(tmp_path):
    files, _ = generate(tmp_path / "data", STAFF, date(2026, 9, 28), date(2026, 10, 9))
    calls = (tmp_path / "data" / "calls.csv").read_text(encoding="utf-8").splitlines()[1:]
    per_day = {}
    for line in calls:
        day = line.split(",")[5][:10]
        per_day[day] = per_day.get(day, 0) + 1
    assert per_day["2026-10-02"] < 0.6 * per_day["2026-09-29"]  # National Day vs a Tuesday
    assert files


TEAMS = [
    *(Staff(f"A{n:02d}", "agent", "一组") for n in range(12)),
    *(Staff(f"B{n:02d}", "agent", "二组") for n in range(12)),
]


def lake_of(folder, staff, first, last, scorer=None, **options):
    """A lake of the records generated for ``staff``."""
    files, _counts = generate(folder / "data", staff, first, last, **options)
    lake = Lake(folder / "lake")
    scoring = {} if scorer is None else {"sentiment": scorer, "sentiment_version": "test"}
    importing = ImportOptions(zone=ZONE, now=NOW, report_dir=folder / "reports", **scoring)
    for source, path in sources_in_order(files):
        import_file(lake, source, path, path.name, importing)
    return lake


def metrics_of(folder, staff, first, last, period, scorer=None, **options):
    """Every metric of ``period`` over a lake of the records generated for ``staff``."""
    lake = lake_of(folder, staff, first, last, scorer, **options)
    return compute(lake, parse_period(period), CatalogOptions(zone=ZONE, now=NOW))


def test_agents_differ_plausibly_around_the_targets(tmp_path):
    """Each agent works to a profile of their own, so their rates spread across agents,
    around seed 000's targets; each queue's staffing gives it its own answer rate."""
    quarter = date(2026, 7, 1), date(2026, 9, 30)
    values = metrics_of(tmp_path, TEAMS, *quarter, "2026-Q3", calls_per_agent_day=20)

    def of(subject_type, metric):
        return {
            v.subject: v.value
            for v in values
            if (v.subject_type, v.metric) == (subject_type, metric)
        }

    # metric: where the middle agent is, where every agent is, how far apart they are
    for metric, middle, everyone, spread in [
        ("fcr_rate", (65, 85), (55, 92), 3),
        ("csat_rate", (80, 95), (70, 99), 2),
        ("qa_pass_rate", (85, 98), (65, 100), 3),
        ("avg_talk_seconds", (180, 600), (120, 720), 30),  # 3–10 minutes, mostly
        ("nps", (20, 60), (-30, 90), 5),
    ]:
        rates = list(of("employee", metric).values())
        assert len(rates) == len(TEAMS), metric
        assert middle[0] <= statistics.median(rates) <= middle[1], metric
        assert everyone[0] <= min(rates), metric
        assert max(rates) <= everyone[1], metric
        assert statistics.pstdev(rates) >= spread, metric
    queues = of("queue", "answer_rate")
    assert len(set(queues.values())) == 2
    assert all(88 <= rate <= 97 for rate in queues.values())
    # Each agent's answer rate is their queue's.
    mine = of("agent_queues", "answer_rate")
    assert mine["A00"] == queues["一组"]
    assert mine["B00"] == queues["二组"]


def test_a_persons_profile_follows_them_whoever_else_is_there(tmp_path):
    september = date(2026, 9, 1), date(2026, 9, 30)

    def talk_of_a00(staff, folder):
        values = metrics_of(tmp_path / folder, staff, *september, "2026-09")
        return next(v.value for v in values if (v.subject, v.metric) == ("A00", "avg_talk_seconds"))

    # The same profile: the calls differ only by chance, by seconds where agents differ by
    # minutes.
    assert abs(talk_of_a00(TEAMS[:1], "alone") - talk_of_a00(TEAMS, "among")) < 30


def test_two_periods_never_share_a_record_id(tmp_path):
    """So that importing one quarter after another keeps both (ids are the lake's keys)."""
    import csv

    def ids(folder, first, last):
        paths, _counts = generate(folder, STAFF, first, last)
        found = set()
        for path in paths:
            with path.open(encoding="utf-8") as handle:
                rows = list(csv.reader(handle))[1:]
            found |= {(path.name, row[0]) for row in rows if path.name != "accounts.csv"}
        return found

    june = ids(tmp_path / "june", date(2026, 6, 1), date(2026, 6, 12))
    july = ids(tmp_path / "july", date(2026, 7, 1), date(2026, 7, 12))
    assert june
    assert july
    assert not june & july


def test_each_generated_complaint_traces_back_to_the_call_it_came_from(tmp_path):
    """A complaint is written by the same customer as the call ends, assigned to the agent
    who took it: complaint conversion finds every one, and lays it at that agent's door."""
    import csv

    values = metrics_of(tmp_path, TEAMS[:6], date(2026, 9, 1), date(2026, 9, 30), "2026-09")
    with (tmp_path / "data" / "tickets.csv").open(encoding="utf-8") as handle:
        complaints = [row for row in csv.DictReader(handle) if row["kind"] == "complaint"]
    expected = {person.number: 0 for person in TEAMS[:6]}
    for row in complaints:
        expected[row["assignee_id"]] += 1
    converted = {
        v.subject: v.value
        for v in values
        if v.metric == "complaints_converted" and v.subject_type == "employee"
    }
    assert sum(expected.values()) > 10
    assert converted == expected
    org = next(
        v for v in values if (v.subject_type, v.metric) == ("org", "complaint_conversion_rate")
    )
    assert 0.2 < org.value < 2.5  # seed 000's scale: tiers at 0.5, 1 and 2 %


def test_transcripts_and_comments_give_agents_their_own_sentiment_figures(tmp_path):
    """Some upset callers calm down and some calm ones leave annoyed, more often with
    agents whose customers are less satisfied; comments follow the survey's score. The
    keyword scorer of ``keywords.py`` stands in for the model: the generated words are
    plain enough for it."""
    quarter = date(2026, 7, 1), date(2026, 9, 30)
    values = metrics_of(tmp_path, TEAMS[:12], *quarter, "2026-Q3",
                        scorer=generated_words_scorer, calls_per_agent_day=20,
                        transcript_share=0.5)  # fmt: skip

    def of(subject_type, metric):
        return {
            v.subject: v.value
            for v in values
            if (v.subject_type, v.metric) == (subject_type, metric)
        }

    org = of("org", "calls_ending_negative_rate")["org"]
    assert 10 < org < 35
    recovered = of("employee", "calls_recovered_rate")
    assert len(recovered) == 12
    assert 35 < of("org", "calls_recovered_rate")["org"] < 75
    assert statistics.pstdev(recovered.values()) > 5
    csat = of("employee", "csat_rate")
    agents = sorted(recovered)
    assert statistics.correlation([csat[a] for a in agents], [recovered[a] for a in agents]) > 0.3
    comments = of("employee", "comment_sentiment_mean")
    assert all(0.3 < mean < 0.95 for mean in comments.values())
    assert statistics.correlation([csat[a] for a in agents], [comments[a] for a in agents]) > 0.3


def test_generated_transcripts_alternate_and_fill_the_talk_time(tmp_path):
    import csv

    september = date(2026, 9, 1), date(2026, 9, 30)
    lake = lake_of(tmp_path, TEAMS[:2], *september, generated_words_scorer, transcript_share=0.3)
    with (tmp_path / "data" / "transcripts.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with (tmp_path / "data" / "calls.csv").open(encoding="utf-8") as handle:
        calls = {row["call_id"]: row for row in csv.DictReader(handle)}
    by_call = {}
    for row in rows:
        by_call.setdefault(row["call_id"], []).append(row)
    assert 0.2 < len(by_call) / sum(1 for c in calls.values() if c["answered_at"]) < 0.4
    for call_id, turns in by_call.items():
        speakers = [t["speaker"] for t in turns]
        assert speakers[0] == speakers[-1] == "agent"
        assert all(a != b for a, b in itertools.pairwise(speakers))  # they take turns
        assert 7 <= len(turns) <= 13
        call = calls[call_id]
        talk = (datetime.fromisoformat(call["ended_at"])
                - datetime.fromisoformat(call["answered_at"])).total_seconds()  # fmt: skip
        assert float(turns[-1]["end_seconds"]) <= talk
        assert turns[0]["agent_id"] == call["agent_id"]
    found = call_sentiment(lake, parse_period("2026-09"), CatalogOptions(zone=ZONE, now=NOW))
    assert len(found) == len(by_call)
    assert any(c.recovered for c in found)
    assert any(c.recovered is False for c in found)
    assert any(c.ended_negative and not c.started_negative for c in found)
