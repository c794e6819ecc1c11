"""What the data app tells the rest of kaohe."""

from django.dispatch import Signal

# Sent after a batch lands in the lake and is recorded; ``batch`` is the DataBatch.
batch_imported = Signal()

# Sent after a period's metrics are computed and stored; ``run`` is the MetricRun. Whatever
# follows stored values (goals' metric-bound key results) listens here.
metrics_stored = Signal()
