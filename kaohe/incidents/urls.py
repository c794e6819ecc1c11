from django.urls import path

from . import one_on_one_views, views

urlpatterns = [
    path("", views.incident_list, name="incidents"),
    path("new/", views.incident_new, name="incident-new"),
    path("mine/", views.my_incidents, name="incidents-mine"),
    path("<int:pk>/", views.incident_detail, name="incident"),
    path("<int:pk>/delete/", views.incident_delete, name="incident-delete"),
    path("<int:pk>/respond/", views.incident_respond, name="incident-respond"),
    path("people/<str:number>/", views.person_incidents, name="incidents-person"),
    path("one-on-ones/", one_on_one_views.one_on_one_list, name="one-on-ones"),
    path("one-on-ones/new/", one_on_one_views.one_on_one_form, name="one-on-one-new"),
    path("one-on-ones/remind/", one_on_one_views.one_on_one_remind, name="one-on-ones-remind"),
    path("one-on-ones/<int:pk>/", one_on_one_views.one_on_one_detail, name="one-on-one"),
]
