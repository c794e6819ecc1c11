"""The call-transcripts source: its checks, its two-column key, and the sentiment scored as
it is imported (with the keyword scorer of ``keywords.py`` standing in for the model)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import duckdb
import pyarrow.parquet as pq
import pytest

from kaohe.metrics import (
    SOURCES,
    CatalogOptions,
    ImportOptions,
    ImportRefused,
    Lake,
    MetricsError,
    compute,
    import_file,
    parse_period,
)

from .keywords import keyword_scorer

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)
HEADER_ZH = "通话编号,轮次,说话人,内容,开始秒,结束秒,坐席工号\n"
TRANSCRIPT = HEADER_ZH + (
    "c1,1,坐席,您好，请问有什么可以帮您？,0,3.5,A1\n"
    "c1,2,客户,网络太慢了,3.5,6,\n"
    "c1,3,agent,好的，马上为您处理,6.2,9,A1\n"
    "c1,4,customer,谢谢,9,10,\n"
    "c2,1,顾客,一般吧,0,2,\n"
    "c2,2,客服,好的,2,3.25,A2\n"
)


@pytest.fixture
def lake(tmp_path):
    return Lake(tmp_path / "lake")


def options(tmp_path, **changes):
    values = {"zone": ZONE, "now": NOW, "report_dir": tmp_path / "reports"}
    values.update(changes)
    return ImportOptions(**values)


def scored(tmp_path, version="keywords-1", **changes):
    return options(tmp_path, sentiment=keyword_scorer, sentiment_version=version, **changes)


def write(tmp_path, text, name="transcripts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def turns(lake, columns="call_id, turn, speaker, text, sentiment, sentiment_model"):
    current = lake.current("transcripts")
    return duckdb.sql(f"SELECT {columns} FROM {current} ORDER BY call_id, turn").fetchall()


def problems_of(tmp_path, lake, text):
    with pytest.raises(ImportRefused) as refused:
        import_file(lake, "transcripts", write(tmp_path, text), "t.csv", options(tmp_path))
    return [(p.line, p.field, p.reason.en) for p in refused.value.problems]


def test_the_source_is_keyed_by_call_and_turn():
    source = SOURCES["transcripts"]
    assert source.key == ("call_id", "turn")
    assert {c.name for c in source.columns if c.required} == {"call_id", "turn", "speaker", "text"}
    assert source.column("agent_id").employee


def test_chinese_headers_and_speakers_import_with_offsets_in_seconds(tmp_path, lake):
    batch = import_file(
        lake, "transcripts", write(tmp_path, TRANSCRIPT), "t.csv", options(tmp_path)
    )
    assert (batch.accepted, batch.rejected, batch.sentiment_model) == (6, 0, "")
    found = turns(lake, "call_id, turn, speaker, start_seconds, end_seconds, agent_id")
    assert found == [
        ("c1", 1, "agent", 0.0, 3.5, "A1"),
        ("c1", 2, "customer", 3.5, 6.0, None),
        ("c1", 3, "agent", 6.2, 9.0, "A1"),
        ("c1", 4, "customer", 9.0, 10.0, None),
        ("c2", 1, "customer", 0.0, 2.0, None),
        ("c2", 2, "agent", 2.0, 3.25, "A2"),
    ]


def test_without_a_scorer_the_scores_are_null(tmp_path, lake):
    import_file(lake, "transcripts", write(tmp_path, TRANSCRIPT), "t.csv", options(tmp_path))
    assert {(score, model) for *_rest, score, model in turns(lake)} == {(None, None)}


def test_with_a_scorer_each_turn_gets_its_score_and_the_model_its_name(tmp_path, lake):
    path = write(tmp_path, TRANSCRIPT)
    batch = import_file(lake, "transcripts", path, "t.csv", scored(tmp_path))
    assert batch.sentiment_model == "keywords-1"
    assert [(row[0], row[1], row[4], row[5]) for row in turns(lake)] == [
        ("c1", 1, 0.5, "keywords-1"),  # no keyword: 0.5
        ("c1", 2, 0.2, "keywords-1"),  # 太慢
        ("c1", 3, 0.7, "keywords-1"),  # 好的
        ("c1", 4, 0.9, "keywords-1"),  # 谢谢
        ("c2", 1, 0.45, "keywords-1"),  # 一般
        ("c2", 2, 0.7, "keywords-1"),
    ]


@pytest.mark.parametrize("fast", [True, False], ids=["csv blocks", "row by row"])
def test_bad_rows_are_refused_naming_line_field_and_reason(tmp_path, lake, fast):
    bad = HEADER_ZH + (
        "c1,1,坐席,您好,0,3,A1\n"  # line 2: fine
        "c1,0,客户,喂,3,4,\n"  # line 3: turn 0
        "c1,2,客户,喂,8,5,\n"  # line 4: ends before it starts
        "c1,3,客户,   ,9,10,\n"  # line 5: no words
        "c1,4,机器人,喂,10,11,\n"  # line 6: no such speaker
        "c1,5,客户,喂,-1,2,\n"  # line 7: a negative offset
        "c1,1.5,客户,喂,12,13,\n"  # line 8: not a whole turn
    )
    if not fast:  # a multi-line cell sends the whole file down the row-by-row reader
        bad = bad.replace("c1,1,坐席,您好,", 'c1,1,坐席,"您好\n请讲",')
    found = problems_of(tmp_path, lake, bad)
    shift = 0 if fast else 1
    assert found == [
        (3 + shift, "turn", "0 is below 1"),
        (4 + shift, "end_seconds", "is before start_seconds"),
        (5 + shift, "text", "required, but empty"),
        (6 + shift, "speaker", "unknown value '机器人' (use agent, customer)"),
        (7 + shift, "start_seconds", "-1 is below 0"),
        (8 + shift, "turn", "not a whole number: '1.5'"),
    ]
    assert lake.batches("transcripts") == []


def test_a_turn_given_twice_in_a_file_names_both_lines(tmp_path, lake):
    twice = HEADER_ZH + "c1,1,坐席,您好,,,\nc2,1,客户,喂,,,\nc1,1,坐席,您好！,,,\n"
    assert problems_of(tmp_path, lake, twice) == [
        (4, "turn", "call_id c1, turn 1 also appears on line 2")
    ]


def test_a_changed_turn_replaces_its_old_version_and_nothing_else(tmp_path, lake):
    import_file(lake, "transcripts", write(tmp_path, TRANSCRIPT), "t.csv", scored(tmp_path))
    changed = HEADER_ZH + (
        "c1,2,客户,网络太慢了,3.5,6,\n"  # as before
        "c1,4,customer,满意,9,10,\n"  # re-transcribed
        "c1,5,客户,好的,10,11,\n"  # a new turn of c1
        "c2,4,客户,谢谢,5,6,\n"  # c2's turn 4: new, whatever c1's turn 4 holds
    )
    batch = import_file(
        lake, "transcripts", write(tmp_path, changed, "again.csv"), "again.csv", scored(tmp_path)
    )
    assert (batch.accepted, batch.replaced, batch.unchanged) == (2, 1, 1)
    found = [(call, turn, text, score) for call, turn, _who, text, score, _model in turns(lake)]
    assert found == [
        ("c1", 1, "您好，请问有什么可以帮您？", 0.5),
        ("c1", 2, "网络太慢了", 0.2),
        ("c1", 3, "好的，马上为您处理", 0.7),
        ("c1", 4, "满意", 0.95),
        ("c1", 5, "好的", 0.7),
        ("c2", 1, "一般吧", 0.45),
        ("c2", 2, "好的", 0.7),
        ("c2", 4, "谢谢", 0.9),
    ]


def test_reimporting_the_same_file_changes_nothing(tmp_path, lake):
    path = write(tmp_path, TRANSCRIPT)
    import_file(lake, "transcripts", path, "t.csv", scored(tmp_path))
    again = import_file(lake, "transcripts", path, "t.csv", scored(tmp_path))
    assert (again.accepted, again.replaced, again.unchanged, again.file) == (0, 0, 6, "")
    assert len(lake.files("transcripts")) == 1
    # Without a scorer too: the file's records are unchanged, so they keep their scores.
    plain = import_file(lake, "transcripts", path, "t.csv", options(tmp_path))
    assert (plain.accepted, plain.replaced, plain.unchanged) == (0, 0, 6)
    assert {model for *_rest, model in turns(lake)} == {"keywords-1"}


def test_another_model_rescores_the_records_it_is_given(tmp_path, lake):
    path = write(tmp_path, TRANSCRIPT)
    import_file(lake, "transcripts", path, "t.csv", scored(tmp_path))
    newer = import_file(lake, "transcripts", path, "t.csv", scored(tmp_path, "keywords-2"))
    assert (newer.accepted, newer.replaced, newer.unchanged) == (0, 6, 0)
    assert {model for *_rest, model in turns(lake)} == {"keywords-2"}


def test_a_dry_run_does_not_call_the_scorer(tmp_path, lake):
    given = []

    def counting(texts):
        given.append(list(texts))
        return keyword_scorer(texts)

    path = write(tmp_path, TRANSCRIPT)
    check = options(tmp_path, sentiment=counting, sentiment_version="k", dry_run=True)
    assert import_file(lake, "transcripts", path, "t.csv", check).accepted == 6
    assert given == []
    import_file(lake, "transcripts", path, "t.csv", options(tmp_path, sentiment=counting,
                                                            sentiment_version="k"))  # fmt: skip
    assert sorted(text for block in given for text in block) == sorted(
        row[3] for row in turns(lake)
    )


@pytest.mark.parametrize(
    ("scorer", "reason"),
    [
        (lambda texts: [0.5] * (len(texts) - 1), "gave 5 scores for 6 texts"),
        (lambda texts: [1.5] * len(texts), "gave 1.5, not a probability in 0–1"),
        (lambda texts: [float("nan")] * len(texts), "gave nan, not a probability in 0–1"),
    ],
)
def test_a_broken_scorer_refuses_the_import_and_writes_nothing(tmp_path, lake, scorer, reason):
    path = write(tmp_path, TRANSCRIPT)
    with pytest.raises(MetricsError, match=reason):
        import_file(lake, "transcripts", path, "t.csv", options(
            tmp_path, sentiment=scorer, sentiment_version="broken"))  # fmt: skip
    assert lake.entries("transcripts") == []
    assert [p.name for p in lake.folder("transcripts").iterdir()] == [".lock"]


def test_a_scorer_must_say_which_model_it_is(tmp_path):
    with pytest.raises(ValueError, match="version"):
        options(tmp_path, sentiment=keyword_scorer)


SURVEYS = """survey_id,kind,score,agent_id,responded_at,call_id,comment
s1,csat,5,A1,2026-09-03 10:00:00,c1,非常满意
s2,csat,2,A1,2026-09-03 11:00:00,c2,
s3,csat,3,A2,2026-09-04 10:00:00,,还行
"""


def test_survey_comments_are_scored_and_blank_ones_are_not(tmp_path, lake):
    path = write(tmp_path, SURVEYS, "surveys.csv")
    import_file(lake, "surveys", path, "surveys.csv", scored(tmp_path))
    found = duckdb.sql(
        f"SELECT survey_id, comment_sentiment, sentiment_model FROM {lake.current('surveys')} "
        "ORDER BY 1"
    ).fetchall()
    assert found == [("s1", 0.95, "keywords-1"), ("s2", None, "keywords-1"),
                     ("s3", 0.6, "keywords-1")]  # fmt: skip


def test_batches_written_before_scores_existed_read_as_unscored(tmp_path, lake):
    """A lake from before this release holds survey batches without the score columns: the
    catalog reads them as unscored rather than failing, and a new batch adds to them."""
    path = write(tmp_path, SURVEYS, "surveys.csv")
    batch = import_file(lake, "surveys", path, "surveys.csv", options(tmp_path))
    old = lake.folder("surveys") / batch.file
    table = pq.read_table(old)
    pq.write_table(table.drop_columns(["comment_sentiment", "sentiment_model"]), old)
    values = compute(lake, parse_period("2026-09"), CatalogOptions(zone=ZONE, now=NOW))
    org = {v.metric: v.value for v in values if v.subject_type == "org"}
    assert org["csat_rate"] == pytest.approx(100 / 3)  # of s1–s3, s1 alone scores 4 or 5
    assert org["comment_sentiment_mean"] is None
    more = "survey_id,kind,score,agent_id,responded_at,comment\n"
    more += "s4,csat,4,A2,2026-09-05 10:00:00,谢谢\n"
    import_file(lake, "surveys", write(tmp_path, more, "more.csv"), "more.csv", scored(tmp_path))
    values = compute(lake, parse_period("2026-09"), CatalogOptions(zone=ZONE, now=NOW))
    org = {v.metric: v for v in values if v.subject_type == "org"}
    assert (org["comment_sentiment_mean"].value, org["comment_sentiment_mean"].denominator) == (
        0.9,
        1,
    )
