"""The ``kaohe`` command: one front for scheme tools, scoring and, later, the web app.

Commands are thin verbs that delegate to the core. Every command that prints words for a
person takes ``--lang zh|en`` (default ``$KAOHE_LANG``, else Chinese) and says everything
in it: output, table headers and errors. Errors the user can fix (an unknown scheme, a bad
value, a malformed file) are a ``CommandError`` or another ``KaoheError`` worded in both
languages; ``main`` prints one line in the chosen language and exits 1, never a traceback.
"""

from __future__ import annotations

import sys

import click

from kaohe import __version__
from kaohe.core import KaoheError, Text

from ._output import Session
from .access import access
from .data import calendar, data, demo_data, metrics
from .django import demo, manage, serve, worker
from .org import org
from .scheme import scheme
from .score import score
from .token import token


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaohe")
def cli() -> None:
    """kaohe (考核): performance appraisal for enterprise service departments."""


for command in (
    scheme, score, org, access, token, data, metrics, calendar, demo_data, manage, serve,
    worker, demo,
):  # fmt: skip
    cli.add_command(command)


def main() -> None:
    session = Session()
    try:
        cli.main(standalone_mode=False, obj=session)
    except click.exceptions.Abort:
        click.echo(Text("kaohe: 已中止", "kaohe: aborted")(session.lang), err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KaoheError as error:
        click.echo(f"kaohe: {error.message(session.lang)}", err=True)
        sys.exit(1)
