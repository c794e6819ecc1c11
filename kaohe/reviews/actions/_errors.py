class ReviewRefused(Exception):
    """Refused for a reason the user can act on; worded for them, and never carrying an
    answer."""
