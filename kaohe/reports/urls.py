from django.urls import URLPattern, URLResolver, include, path

from . import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.dashboard, name="dashboard"),
    path("leaders/", views.leaders_page, name="dashboard-leaders"),
    path("team/", views.team_page, name="dashboard-team"),
    path("mine/", views.mine_page, name="dashboard-mine"),
    path("hr/", include("kaohe.reports.hr_urls")),
]
