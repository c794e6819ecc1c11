"""What the insights keep, one module per section: saved what-if runs, attrition models and
their scores, sentiment results, weight proposals."""

from .advice import *  # noqa: F403
from .attrition import *  # noqa: F403
from .sentiment import *  # noqa: F403
from .whatif import *  # noqa: F403
