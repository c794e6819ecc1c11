"""The integrator's door: kaohe's REST API (``/api/v1/``), over the apps' own actions and
queries."""
