from django.urls import URLPattern, path

from . import hr_views

urlpatterns: list[URLPattern] = [
    path("", hr_views.hr_dashboard_page, name="dashboard-hr"),
]
