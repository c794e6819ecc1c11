from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "kaohe.reviews"
    label = "reviews"
    verbose_name = _("360 reviews")

    # How the audit log words this app's entries. No entry ever holds an answer.
    audit_kinds = {
        "reviews.reviewsetup": _("360 review setup"),
        "reviews.review": _("360 review"),
    }

    @property
    def audit_actions(self) -> dict[str, Any]:
        return {
            "reviews.setup_create": _("360 setup created"),
            "reviews.setup_save": _("360 setup changed"),
            "reviews.start": _("360 reviews started"),
            "reviews.nominate": _("360 raters nominated"),
            "reviews.assign": _("360 raters assigned"),
            "reviews.approve": _("360 nomination approved"),
            "reviews.reject": _("360 nomination rejected"),
            "reviews.open": _("360 review opened"),
            "reviews.decline": _("360 review declined"),
            "reviews.draft": _("360 answer draft saved"),
            "reviews.submit": _("360 answer submitted"),
            "reviews.remind": _("360 raters reminded"),
            "reviews.close": _("360 review closed"),
            "reviews.links": _("Customer rating links made"),
            "reviews.link_answer": _("Customer rating received"),
        }

    @property
    def notification_actions(self) -> dict[str, Any]:
        from .notify import WORDS

        return WORDS

    @property
    def notification_links(self) -> dict[str, str]:
        from .notify import LEADS_TO

        return LEADS_TO

    def ready(self) -> None:
        from kaohe.appraisals.inputs import register

        from .provider import ReviewProvider

        register(ReviewProvider())
