from django.urls import path

from . import views, views_form

urlpatterns = [
    path("", views.scheme_list, name="schemes"),
    path("defaults/", views.scheme_defaults, name="scheme-defaults"),
    path("check/", views.scheme_check, name="scheme-check"),
    path("<int:pk>/", views.scheme_edit, name="scheme-edit"),
    path("<int:pk>/form/", views_form.scheme_form, name="scheme-form"),
    path("<int:pk>/form/redraw/", views_form.scheme_form_redraw, name="scheme-form-redraw"),
    path("<int:pk>/form/check/", views_form.scheme_form_check, name="scheme-form-check"),
    path("<int:pk>/clone/", views.scheme_clone, name="scheme-clone"),
]
