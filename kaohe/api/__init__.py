"""The integrator's door: kaohe's REST API (``/api/v1/``) and its personal access tokens."""
