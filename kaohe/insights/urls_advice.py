from django.urls import path

from . import views_advice as views

urlpatterns = [
    path("", views.advice, name="advice"),
    path("look/", views.look, name="advice-look"),
    path("stage/", views.propose_stage, name="advice-stage"),
    path("proposals/<int:pk>/", views.proposal_page, name="advice-proposal"),
    path("proposals/<int:pk>/edit/", views.edit, name="advice-proposal-edit"),
    path("proposals/<int:pk>/accept/", views.accept, name="advice-proposal-accept"),
    path("proposals/<int:pk>/reject/", views.reject, name="advice-proposal-reject"),
    path("flags/new/", views.flag_form, name="advice-flag-new"),
    path("flags/<int:pk>/", views.flag_form, name="advice-flag"),
    path("flags/<int:pk>/end/", views.flag_end, name="advice-flag-end"),
    path("flags/<int:pk>/delete/", views.flag_delete, name="advice-flag-delete"),
]
