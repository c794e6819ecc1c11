"""What the appraisals app tells the apps above it, without knowing them: a result has been
locked (at finalisation, or as a new version after an appeal). Sent inside the step's
transaction, so that whatever a receiver writes commits or rolls back with the result."""

from django.dispatch import Signal

# Sent with ``result`` (the new Result) and ``actor`` (who locked it).
result_locked = Signal()
