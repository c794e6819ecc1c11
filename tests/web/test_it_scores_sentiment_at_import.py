"""Transcripts and survey comments are scored by the real sentiment model as they are
imported — through the Data page, the API's push and the command line alike — and kept
with the model's version; without the model file they are imported unscored, and every
place that imports says so, naming the file and how to build it, in either language."""

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kaohe.cli import cli
from kaohe.data import services
from kaohe.data.models import DataBatch, ImportJob
from kaohe.metrics import call_sentiment, parse_period
from kaohe.ml import sentiment
from kaohe.settings import env_fraction
from kaohe.tokens.models import TokenScope

from .sentiment_data import ANGRY, CALLS, PLEASED, SURVEYS, TRANSCRIPTS, import_all


@pytest.fixture(autouse=True)
def _home(settings, tmp_path):
    settings.HOME = tmp_path / "home"


@pytest.fixture
def no_model(settings, tmp_path):
    """The model file is missing (a checkout where `make setup` never ran)."""
    settings.SENTIMENT_MODEL_FILE = tmp_path / "nowhere" / "sentiment.npz"
    return settings.SENTIMENT_MODEL_FILE


def version():
    return sentiment.load().version


def upload_and_import(client, source, text):
    """The Data page's two steps: check, then import; the job's page afterwards."""
    data = {"source": source, "file": SimpleUploadedFile(f"{source}.csv", text.encode())}
    checked = client.post(reverse("data-import"), data)
    assert checked.status_code == 302
    job = ImportJob.objects.filter(source=source).first()
    done = client.post(reverse("data-job-import", args=[job.pk]), follow=True)
    job.refresh_from_db()
    return job, done.content.decode()


def september_calls():
    return {c.call_id: c for c in call_sentiment(
        services.lake(), parse_period("2026-09"), services.catalog_options()
    )}  # fmt: skip


def test_the_data_page_scores_each_turn_with_the_model(client_for, org, tmp_path):
    client = client_for("alice")
    import_all(org.users["alice"], tmp_path / "files", "calls")
    job, page = upload_and_import(client, "transcripts", TRANSCRIPTS)
    batch = DataBatch.objects.get(source="transcripts")
    assert batch.sentiment_model == version() == job.result["sentiment_model"]
    assert f"文本已由模型 {version()} 评分情绪。" in page
    assert 'data-testid="sentiment-note"' not in page
    calls = september_calls()
    # Angry words score low, pleased ones high: the direction, not the exact figures.
    assert calls["c1"].customer_start < 0.2
    assert calls["c1"].customer_end < 0.2
    assert calls["c1"].ended_negative
    assert calls["c1"].recovered is False
    assert calls["c2"].customer_end > 0.8
    assert calls["c2"].recovered is True
    assert calls["c3"].customer_lowest > 0.8
    assert not calls["c3"].started_negative
    assert calls["c5"].customer_turns == 1
    assert calls["c5"].recovered is None
    # The agent's own turns are kept apart from the customer's: c3's apology does not pull
    # the pleased customer down, and a call where only the customer speaks has no mean.
    assert calls["c3"].agent_mean < 0.5
    assert calls["c5"].agent_mean is None


def test_survey_comments_are_scored_and_the_metrics_follow(client_for, org, tmp_path):
    import_all(org.users["alice"], tmp_path / "files", "calls")
    upload_and_import(client_for("alice"), "surveys", SURVEYS)
    assert DataBatch.objects.get(source="surveys").sentiment_model == version()
    values = {(v.subject, v.metric): v for v in services.metrics("2026-09")}
    ann, amy = (
        values[("A001", "comment_sentiment_mean")],
        values[("A002", "comment_sentiment_mean")],
    )
    assert ann.denominator == 2
    assert 0.3 < ann.value < 0.7
    assert amy.denominator == 1
    assert amy.value > 0.9


def test_a_push_to_the_api_is_scored_too(org, api_for, tmp_path):
    import_all(org.users["alice"], tmp_path / "files", "calls")
    pushed = api_for("alice", TokenScope.DATA).post(
        "/api/v1/data/transcripts", TRANSCRIPTS, content_type="text/csv"
    )
    assert pushed.status_code == 201, pushed.content
    assert pushed.json()["sentiment_model"] == version()
    assert pushed.json()["notes"] == []
    assert september_calls()["c4"].ended_negative


def test_a_source_without_texts_names_no_model(org, api_for):
    pushed = api_for("alice", TokenScope.DATA).post(
        "/api/v1/data/calls", CALLS, content_type="text/csv"
    )
    assert pushed.status_code == 201
    assert (pushed.json()["sentiment_model"], pushed.json()["notes"]) == (None, [])
    assert DataBatch.objects.get().sentiment_model == ""


def test_without_the_model_the_page_imports_unscored_and_says_so(
    client_for, org, tmp_path, no_model
):
    client = client_for("alice")
    import_all(org.users["alice"], tmp_path / "files", "calls")
    home = client.get(reverse("data-import")).content.decode()
    assert 'data-testid="sentiment-problem"' in home
    assert f"情绪模型文件 {no_model} 不存在" in home
    assert "make setup" not in home  # another path than the default: the script builds it
    assert f"python scripts/train_sentiment.py --output {no_model}" in home
    job, page = upload_and_import(client, "transcripts", TRANSCRIPTS)
    assert job.stage == "done"
    assert job.result["accepted"] == 13
    assert 'data-testid="sentiment-note"' in page
    assert str(no_model) in page
    batch = DataBatch.objects.get(source="transcripts")
    assert batch.sentiment_model == ""
    assert september_calls()["c1"].customer_start is None  # kept, without a score
    recent = client.get(reverse("data-import")).content.decode()
    assert "未评分情绪" in recent  # the batch is marked in the list
    client.cookies["django_language"] = "en"
    english = client.get(reverse("data-job", args=[job.pk])).content.decode()
    assert f"the model file {no_model} does not exist" in english
    assert "imported without sentiment scores" in english


def test_the_default_file_missing_says_make_setup():
    """The file `make setup` builds is named with that command; any other with the script."""
    from django.utils import translation

    from kaohe.insights.sentiment import ModelProblem

    with translation.override("en"):
        default = ModelProblem(sentiment.MODEL_FILE, True, "does not exist").text()
        elsewhere = ModelProblem(sentiment.MODEL_FILE.with_name("x.npz"), False, "broken").text()
    assert f"the model file {sentiment.MODEL_FILE} does not exist" in default
    assert "Build the file with “make setup” in the kaohe checkout" in default
    assert "cannot be used (broken)" in elsewhere
    assert (
        f"python scripts/train_sentiment.py --output {sentiment.MODEL_FILE.with_name('x.npz')}"
        in elsewhere
    )


def test_with_the_model_the_data_page_gives_no_warning(client_for, org):
    page = client_for("alice").get(reverse("data-import")).content.decode()
    assert 'data-testid="sentiment-problem"' not in page


def test_without_the_model_a_push_is_imported_and_its_answer_says_why(
    org, api_for, tmp_path, no_model
):
    import_all(org.users["alice"], tmp_path / "files", "calls")
    pushed = api_for("alice", TokenScope.DATA).post(
        "/api/v1/data/transcripts", TRANSCRIPTS, content_type="text/csv",
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert pushed.status_code == 201
    answer = pushed.json()
    assert answer["new"] == 13
    assert answer["sentiment_model"] is None
    assert len(answer["notes"]) == 1
    assert f"the model file {no_model} does not exist" in answer["notes"][0]


def test_a_file_built_later_is_used_without_a_restart(org, tmp_path, settings, no_model):
    import_all(org.users["alice"], tmp_path / "files", "calls", "transcripts")
    assert september_calls()["c1"].customer_start is None
    settings.SENTIMENT_MODEL_FILE = sentiment.MODEL_FILE  # as if `make setup` ran now
    import_all(org.users["alice"], tmp_path / "files", "transcripts")  # the same file again
    batches = DataBatch.objects.filter(source="transcripts").order_by("seq")
    assert [b.sentiment_model for b in batches] == ["", version()]
    assert batches[1].replaced == 13  # every turn re-scored
    assert september_calls()["c1"].customer_start < 0.2


def test_the_command_line_names_the_model_or_the_missing_file(org, tmp_path, settings):
    import_all(org.users["alice"], tmp_path / "files", "calls")
    path = tmp_path / "files" / "transcripts.csv"
    path.write_text(TRANSCRIPTS, encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(cli, ["data", "import", "transcripts", str(path), "--as", "alice",
                               "--lang", "en"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert f"sentiment scored by {version()}" in done.output
    settings.SENTIMENT_MODEL_FILE = tmp_path / "gone.npz"
    path.write_text(TRANSCRIPTS.replace(ANGRY[1], PLEASED[1]), encoding="utf-8")
    again = runner.invoke(cli, ["data", "import", "transcripts", str(path), "--as", "alice",
                                "--lang", "en"])  # fmt: skip
    assert again.exit_code == 0
    assert f"the model file {tmp_path / 'gone.npz'} does not exist" in again.output


@pytest.mark.parametrize(("raw", "expected"), [("", 0.5), ("0.6", 0.6), (" 0.35 ", 0.35)])
def test_the_threshold_setting_reads_a_fraction(monkeypatch, raw, expected):
    monkeypatch.setenv("KAOHE_SENTIMENT_THRESHOLD", raw)
    assert env_fraction("KAOHE_SENTIMENT_THRESHOLD", 0.5) == expected


@pytest.mark.parametrize("raw", ["0", "1", "1.5", "-0.2", "half", "nan"])
def test_a_threshold_outside_zero_to_one_stops_start_up(monkeypatch, raw):
    from django.core.exceptions import ImproperlyConfigured

    monkeypatch.setenv("KAOHE_SENTIMENT_THRESHOLD", raw)
    with pytest.raises(ImproperlyConfigured, match="KAOHE_SENTIMENT_THRESHOLD must be a number "
                       "between 0 and 1"):  # fmt: skip
        env_fraction("KAOHE_SENTIMENT_THRESHOLD", 0.5)


def test_the_threshold_reaches_the_metrics(db, settings):
    settings.SENTIMENT_THRESHOLD = 0.7
    assert services.catalog_options().sentiment_threshold == 0.7
