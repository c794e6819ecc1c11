from django.urls import path

from . import import_views, views

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<str:number>/", views.person, name="person"),
    path("people/<str:number>/edit/", views.person_edit, name="person-edit"),
    path("people/<str:number>/deactivate/", views.person_deactivate, name="person-deactivate"),
    path("people/<str:number>/reactivate/", views.person_reactivate, name="person-reactivate"),
    path("people/<str:number>/password/", views.person_password, name="person-password"),
    path("team/", views.team, name="team"),
    path("org/chart/", views.org_chart, name="org-chart"),
    path("org/import/", import_views.upload, name="org-import"),
    path("org/import/apply/", import_views.apply, name="org-import-apply"),
]
