"""Learned models behind the insights: the sentiment of comments and call turns, and the
attrition-risk model. Pure Python like the core: no Django, no database, no clock, no
environment; the insights app gathers the figures, passes them in and stores what comes
out. Models are trained here from installed packages and the organisation's own history:
nothing is downloaded at run time.

Kept apart from ``kaohe.analytics`` because it imports scikit-learn, which costs a second
at start-up: only the code that needs a model pays for it.
"""
