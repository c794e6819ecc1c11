"""The reviews app's writes, each a ``do_*(actor, typed inputs)`` that asks the policy,
writes the audit row and commits in one transaction:

- ``setup``: a scheme version's review setup, locked once an answer arrives;
- ``running``: starting reviews, nominating, approving, assigning, declining, opening,
  reminding and closing;
- ``answering``: drafts and the anonymous submission;
- ``links``: customers' one-time links and their answers.

No audit row, log line, notification or error here ever carries an answer (levels or a
comment) together with its rater.
"""

from ._errors import ReviewRefused
from .answering import AnswerInput, do_save_draft, do_submit
from .links import LinkInput, MadeLink, do_answer_by_link, do_make_links, link_for_token
from .running import (
    RemindReport,
    do_assign,
    do_close_reviews,
    do_decide_nomination,
    do_decline,
    do_nominate,
    do_open_review,
    do_remind,
    do_start_reviews,
)
from .setup import GroupInput, QuestionInput, SetupInput, do_create_setup, do_save_setup

__all__ = [
    "AnswerInput",
    "GroupInput",
    "LinkInput",
    "MadeLink",
    "QuestionInput",
    "RemindReport",
    "ReviewRefused",
    "SetupInput",
    "do_answer_by_link",
    "do_assign",
    "do_close_reviews",
    "do_create_setup",
    "do_decide_nomination",
    "do_decline",
    "do_make_links",
    "do_nominate",
    "do_open_review",
    "do_remind",
    "do_save_draft",
    "do_save_setup",
    "do_start_reviews",
    "do_submit",
    "link_for_token",
]
