"""Commands that run the web application: ``manage``, ``serve`` and ``demo``."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import click

from kaohe.core import Lang, Text

from ._output import CommandError, lang_option


def setup_django() -> None:
    """Configure Django once, and bring the database up to date (works on an empty home)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.HOME.mkdir(parents=True, exist_ok=True)


def django_language(lang: Lang) -> AbstractContextManager[None]:
    """Django's gettext in the command's language, for messages that come from the apps."""
    from django.utils import translation

    return translation.override("zh-hans" if lang == "zh" else "en")


def migrate(verbosity: int = 0) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def active_account(username: str) -> Any:
    """The active account ``--as`` names: who a command acts as."""
    from django.contrib.auth import get_user_model

    actor = get_user_model().objects.filter(username=username, is_active=True).first()
    if actor is None:
        raise CommandError(
            Text(
                f"「--as」：没有名为 '{username}' 的有效账号",
                f"--as: no active account named '{username}'",
            )
        )
    return actor


# Commands that work on the migrations themselves, and help, see the database as it is.
_RUN_WITHOUT_MIGRATING = {
    "migrate", "makemigrations", "showmigrations", "sqlmigrate", "squashmigrations",
    "optimizemigration", "help", "version",
}  # fmt: skip


def check_data() -> None:
    """Settle the data lake with the database and sweep old uploads (see kaohe data check)."""
    from kaohe.data.services import on_start

    on_start()


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command, e.g. `kaohe manage createsuperuser`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaohe.settings")
    from django.core.management import execute_from_command_line

    asks_for_help = {"-h", "--help", "--version"} & set(args)
    if args and args[0] not in _RUN_WITHOUT_MIGRATING and not asks_for_help:
        setup_django()
        migrate()

    execute_from_command_line(["kaohe manage", *args])


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port", default=lambda: int(os.environ.get("PORT", 8000)), show_default="$PORT or 8000"
)
@click.option("--workers", default=2, show_default=True)
@click.option(
    "--no-task-worker",
    is_flag=True,
    help="Do not run a background task worker here (run `kaohe worker` elsewhere).",
)
@lang_option
def serve(host: str, port: int, workers: int, no_task_worker: bool, lang: Lang) -> None:
    """Migrate, collect static files, and serve kaohe with gunicorn and a task worker."""
    os.environ["KAOHE_COLLECTED_STATIC"] = "true"
    setup_django()
    migrate()
    check_data()
    collect_static()
    run_gunicorn(host, port, workers, lang, task_worker=not no_task_worker)


def collect_static() -> None:
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def run_gunicorn(
    host: str, port: int, workers: int, lang: Lang, *, task_worker: bool = True
) -> None:
    """gunicorn, and beside it a task worker unless tasks run in place; stopping one
    (Ctrl-C, SIGTERM) stops both."""
    from django.conf import settings

    address = f"http://{host}:{port}/"
    serving = Text(
        f"kaohe: 正在 {address} 提供服务（按 Ctrl-C 停止）",
        f"kaohe: serving on {address} (Ctrl-C stops)",
    )
    click.echo(serving(lang))
    sys.stdout.flush()
    children = []
    if task_worker and settings.TASKS_KIND != "immediate":
        worker_command = [sys.executable, "-m", "kaohe", "worker", "--lang", lang]
        children.append(subprocess.Popen(worker_command))
    server = subprocess.Popen([
        sys.executable, "-m", "gunicorn", "kaohe.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers),
        "--access-logfile", "-", "--graceful-timeout", "5",
    ])  # fmt: skip
    children.append(server)

    def stop(_signal: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = server.wait()
    stop(0, None)
    for child in children:
        child.wait(timeout=30)
    sys.exit(code)


@click.command()
@click.option(
    "--batch", is_flag=True, help="Run the tasks waiting now, then exit (database queue)."
)
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Tasks run at once (Celery queue): one process each.",
)
@lang_option
def worker(batch: bool, concurrency: int, lang: Lang) -> None:
    """Run background tasks (cycle launches, data checks and imports) from the queue."""
    setup_django()
    migrate()
    from django.conf import settings
    from django.core.management import call_command

    if settings.TASKS_KIND == "immediate":
        raise CommandError(
            Text(
                "KAOHE_TASKS=immediate 时任务当场运行，不需要单独的任务进程",
                "KAOHE_TASKS=immediate runs tasks in place; a worker has nothing to do",
            )
        )
    check_data()
    if settings.TASKS_KIND == "celery":
        if batch:
            raise CommandError(
                Text(
                    "--batch 只用于数据库队列；Celery 任务进程一直运行",
                    "--batch is for the database queue; a Celery worker keeps running",
                )
            )
        run_celery_worker(concurrency)
    else:
        call_command("db_worker", "--no-startup-delay", *(["--batch"] if batch else []))


def run_celery_worker(concurrency: int) -> None:
    """A Celery worker on the broker of the settings, in the foreground until stopped."""
    from kaohe.celery_queue import configure

    pool = ["--pool", "solo"] if concurrency == 1 else ["--pool", "prefork"]
    configure().worker_main([
        "worker", "--loglevel", "INFO", "--concurrency", str(concurrency), *pool,
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ])  # fmt: skip


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port", default=lambda: int(os.environ.get("PORT", 8000)), show_default="$PORT or 8000"
)
@click.option("--no-serve", is_flag=True, help="Set up the demo data only.")
@click.option("--no-data", is_flag=True, help="Skip the quarter of generated operational data.")
@click.option(
    "--show-mail", is_flag=True, help="Print mail in the terminal instead of KAOHE_HOME/mail/."
)
@lang_option
def demo(host: str, port: int, no_serve: bool, no_data: bool, show_mail: bool, lang: Lang) -> None:
    """Set up the demo organisation (once) and serve it."""
    # The demo is served over plain HTTP on loopback, where Secure cookies would not come back.
    if not os.environ.get("KAOHE_HTTPS"):
        os.environ["KAOHE_HTTPS"] = "false"
    # Links in the demo's mail lead to the demo being served.
    if not os.environ.get("KAOHE_SITE_URL"):
        os.environ["KAOHE_SITE_URL"] = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    mail = _choose_demo_mail(show_mail)
    if not no_serve:
        os.environ["KAOHE_COLLECTED_STATIC"] = "true"
    setup_django()
    migrate()
    check_data()
    from kaohe.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo

    say = _demo_say(lang)
    say(_where_mail_goes(mail))
    created = load_demo()
    say(
        Text("已载入演示组织", "demo organisation loaded")
        if created
        else Text("演示数据已存在", "demo data already there")
    )
    if not no_data:
        _load_demo_records()
    from kaohe.appraisals.demo import (
        launch_demo_cycle,
        launch_earlier_cycles,
        launch_history_cycle,
    )
    from kaohe.calibration.demo import open_demo_session
    from kaohe.development.demo import demo_development, settle_history
    from kaohe.goals.demo import demo_goals
    from kaohe.incidents.demo import demo_incidents
    from kaohe.reviews.demo import demo_reviews

    # Before anyone is rated: the managers' reviews freeze the incidents' counts.
    incidents = demo_incidents()
    if incidents:
        say(Text(f"已记录 {incidents} 条关键事件", f"{incidents} critical incidents logged"))
    goals = demo_goals()
    if goals:
        say(Text(f"已设定 {goals} 个 OKR 目标", f"{goals} OKR goals set"))
    # The 360 of a launched cycle runs before its people are rated, as incidents are logged.
    reviews: list[int] = []
    earlier = [] if no_data else launch_earlier_cycles()
    for made in earlier:
        settle_history(made)
    if earlier:
        first, last = earlier[0].name, earlier[-1].name
        say(
            Text(
                f"已完成此前 {len(earlier)} 个周期（「{first}」至「{last}」）",
                f"{len(earlier)} earlier cycles completed (“{first}” to “{last}”)",
            )
        )
    history = (
        None
        if no_data  # it needs the last quarter's data
        else launch_history_cycle(lambda made: reviews.append(demo_reviews(made, released=True)))
    )
    if history is not None:
        settle_history(history)
        say(Text(f"已完成上一周期「{history.name}」", f"last cycle “{history.name}” completed"))
    cycle = launch_demo_cycle(lambda made: reviews.append(demo_reviews(made, released=False)))
    if sum(reviews):
        say(Text(f"已开展 {sum(reviews)} 份 360 度评估", f"{sum(reviews)} 360 reviews run"))
    if cycle is not None:
        name, count = cycle.name, cycle.launch_done
        say(
            Text(
                f"已发起考核周期「{name}」，共 {count} 份考核",
                f"cycle “{name}” launched, {count} appraisals",
            )
        )
        session = open_demo_session(cycle)
        if session is not None:
            people = session.members.count()
            say(
                Text(
                    f"已发起校准会「{session.name}」，共 {people} 人",
                    f"calibration session “{session.name}” opened, {people} people",
                )
            )
        plans = demo_development(cycle)
        if plans:
            say(
                Text(
                    f"已起草 {plans} 份发展与改进计划",
                    f"{plans} development and improvement plans drafted",
                )
            )
    from kaohe.recognition.demo import demo_recognition

    thanks = demo_recognition()
    if thanks:
        say(Text(f"同事间已互致 {thanks} 条感谢", f"{thanks} thank-yous between colleagues"))
    from kaohe.points.demo import demo_points
    from kaohe.points.models import BadgeAward

    # Imports award badges as they come; the demo awards the rest and counts them all.
    if demo_points():
        badges = BadgeAward.objects.count()
        say(Text(f"已颁发 {badges} 枚徽章", f"{badges} badges awarded"))
    if not no_data:  # the insights read the finished quarters and their data
        from kaohe.insights.demo import demo_insights

        for line in demo_insights():
            say(line)
    click.echo(
        Text(
            f"可用以下任一账号登录，密码均为 {DEMO_PASSWORD}：",
            f"Sign in with any of these accounts, password {DEMO_PASSWORD}:",
        )(lang)
    )
    for username, role in DEMO_ACCOUNTS:
        click.echo(f"  {username:<10} {role}")
    if not no_serve:
        collect_static()
        run_gunicorn(host, port, 2, lang)


def _demo_say(lang: Lang) -> Callable[[Text], None]:
    """A line of the demo's start-up, ``kaohe demo: …``, in the command's language."""
    return lambda text: click.echo(f"kaohe demo: {text(lang)}")


_CONSOLE_MAIL = "django.core.mail.backends.console.EmailBackend"
_DEMO_MAIL = "kaohe.demo.DemoMailBackend"  # files under KAOHE_HOME/mail/


def _choose_demo_mail(show: bool) -> str:
    """Where the demo's mail goes, chosen in the environment, which the server and the
    worker inherit: the terminal with --show-mail, else the backend the operator set, else
    files under KAOHE_HOME/mail/ (the console would flood the terminal). The backend."""
    if show:
        os.environ["KAOHE_MAIL_BACKEND"] = _CONSOLE_MAIL
    elif not os.environ.get("KAOHE_MAIL_BACKEND"):
        os.environ["KAOHE_MAIL_BACKEND"] = _DEMO_MAIL
    return os.environ["KAOHE_MAIL_BACKEND"]


def _where_mail_goes(backend: str) -> Text:
    if backend == _CONSOLE_MAIL:
        return Text("邮件打印在此终端", "mail is printed here")
    if backend == _DEMO_MAIL:
        from kaohe.demo import mail_folder

        folder = mail_folder()
        return Text(
            f"邮件写入 {folder}/ 下的文件（加 --show-mail 则打印在此终端）",
            f"mail goes to files in {folder}/ (--show-mail prints it here)",
        )
    return Text(
        f"邮件经由 KAOHE_MAIL_BACKEND={backend} 发送",
        f"mail goes through KAOHE_MAIL_BACKEND={backend}",
    )


def _load_demo_records() -> None:
    """Five quarters of operational data (2025-Q3 to 2026-Q3), once, so that metrics and
    trends have something to show."""
    from django.contrib.auth import get_user_model

    from kaohe.data.demo_data import load_demo_quarter, load_earlier_quarters

    hr = get_user_model().objects.get(username="hr")
    load_demo_quarter(hr, say=click.echo)
    load_earlier_quarters(hr, say=click.echo)
