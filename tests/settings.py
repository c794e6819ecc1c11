"""The settings the tests run with: kaohe's own, with tasks run in place.

The worker and the database queue have their own tests, which set KAOHE_TASKS=database
for the processes they start.
"""

import os

os.environ.setdefault("KAOHE_TASKS", "immediate")

from kaohe.settings import *  # noqa: F403
