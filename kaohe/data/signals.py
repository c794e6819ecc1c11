"""What the data app tells the rest of kaohe."""

from django.dispatch import Signal

# Sent after a batch lands in the lake and is recorded; ``batch`` is the DataBatch.
batch_imported = Signal()
