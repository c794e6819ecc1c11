from django.urls import include, path

urlpatterns = [
    path("what-if/", include("kaohe.insights.urls_whatif")),
    path("attrition/", include("kaohe.insights.urls_attrition")),
    path("sentiment/", include("kaohe.insights.urls_sentiment")),
    path("advice/", include("kaohe.insights.urls_advice")),
]
