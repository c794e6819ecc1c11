"""The sentiment section's models (see its views and docs/insights.md)."""
