"""The attrition section's models (see its views and docs/insights.md)."""
