from django.urls import include, path
from django.views.i18n import set_language

from kaohe.api.v1 import api
from kaohe.reviews.public import answer_by_link
from kaohe.web import views as web
from kaohe.web.audit_log import audit_log

urlpatterns = [
    path("", web.home, name="home"),
    path("healthz", web.healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("kaohe.accounts.urls")),
    path("", include("kaohe.tokens.urls")),
    path("", include("kaohe.org.urls")),
    path("audit/", audit_log, name="audit-log"),
    path("data/", include("kaohe.data.urls")),
    path("schemes/", include("kaohe.schemes.urls")),
    path("", include("kaohe.appraisals.urls")),
    path("calibration/", include("kaohe.calibration.urls")),
    path("pay/", include("kaohe.pay.urls")),
    path("development/", include("kaohe.development.urls")),
    path("incidents/", include("kaohe.incidents.urls")),
    path("goals/", include("kaohe.goals.urls")),
    path("reviews/", include("kaohe.reviews.urls")),
    path("dashboard/", include("kaohe.reports.urls")),
    path("points/", include("kaohe.points.urls")),
    path("recognition/", include("kaohe.recognition.urls")),
    path("insights/", include("kaohe.insights.urls")),
    # A customer's one-time rating link: short, no sign-in (kaohe.reviews.public).
    path("r/<str:token>/", answer_by_link, name="review-link"),
    path("api/v1/", api.urls),
]

handler403 = "kaohe.web.views.permission_denied"
handler404 = "kaohe.web.views.page_not_found"
