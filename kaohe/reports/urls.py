from django.urls import URLPattern, URLResolver, include, path

urlpatterns: list[URLPattern | URLResolver] = [
    path("hr/", include("kaohe.reports.hr_urls")),
]
