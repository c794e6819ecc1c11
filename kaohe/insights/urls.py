from django.urls import include, path

from .views_home import insights_home

urlpatterns = [
    path("", insights_home, name="insights"),
    path("what-if/", include("kaohe.insights.urls_whatif")),
    path("advice/", include("kaohe.insights.urls_advice")),
    path("attrition/", include("kaohe.insights.urls_attrition")),
    path("sentiment/", include("kaohe.insights.urls_sentiment")),
]
