"""Instant recognition (即时奖励): thanking a colleague, the team wall, and a manager's
confirmation as a positive incident."""
