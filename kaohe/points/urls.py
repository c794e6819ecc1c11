from django.urls import path

from . import views

urlpatterns = [
    path("", views.leaderboards, name="leaderboards"),
    path("boards/<int:department_id>/", views.set_board, name="points-set-board"),
    path("display/", views.choose_initials, name="points-initials"),
    path("badges/", views.badges, name="badges"),
    path("badges/new/", views.badge_form, name="points-badge-new"),
    path("badges/<int:pk>/edit/", views.badge_form, name="points-badge-edit"),
    path("badges/<int:pk>/delete/", views.delete_badge, name="points-badge-delete"),
    path("badges/<slug:code>/", views.badge_detail, name="badge"),
    path("rules/", views.editor, name="points-editor"),
    path("rules/save/", views.save_rule, name="points-rule-save"),
    path("rules/<int:pk>/delete/", views.delete_rule, name="points-rule-delete"),
    path("rules/run/", views.run_awards, name="points-run"),
]
