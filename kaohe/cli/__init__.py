"""The ``kaohe`` command: one front for scheme tools, scoring and, later, the web app.

Commands are thin verbs that delegate to the core. Errors the user can fix (an unknown
scheme, a bad value, a malformed file) print one line and exit 1, never a traceback; the
line is in the command's ``--lang``, or for a command without one in the default language
(``$KAOHE_LANG``, else Chinese).
"""

from __future__ import annotations

import sys

import click

from kaohe import __version__
from kaohe.core import KaoheError

from ._output import Session
from .access import access
from .data import calendar, data, demo_data, metrics
from .django import demo, manage, serve, worker
from .org import org
from .scheme import scheme
from .score import score


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kaohe")
def cli() -> None:
    """kaohe (考核): performance appraisal for enterprise service departments."""


for command in (
    scheme, score, org, access, data, metrics, calendar, demo_data, manage, serve, worker, demo,
):  # fmt: skip
    cli.add_command(command)


def main() -> None:
    session = Session()
    try:
        cli.main(standalone_mode=False, obj=session)
    except click.exceptions.Abort:
        click.echo("kaohe: aborted", err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except KaoheError as error:
        click.echo(f"kaohe: {error.message(session.lang)}", err=True)
        sys.exit(1)
