from django.urls import path

from . import views

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("defaults/", views.scheme_defaults, name="scheme-defaults"),
    path("check/", views.scheme_check, name="scheme-check"),
    path("<int:pk>/", views.scheme_edit, name="scheme-edit"),
    path("<int:pk>/clone/", views.scheme_clone, name="scheme-clone"),
]
