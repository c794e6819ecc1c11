"""Dashboards per role: KPIs against targets, trends, distributions and progress
(read-only queries behind the policies)."""
