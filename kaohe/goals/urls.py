from django.urls import path

from . import views

urlpatterns = [
    path("", views.my_goals, name="goals"),
    path("new/", views.new, name="goal-new"),
    path("at-risk/", views.at_risk, name="goals-at-risk"),
    path("remind/", views.remind, name="goals-remind"),
    path("people/<str:number>/", views.person_goals, name="goals-person"),
    path("departments/<int:pk>/", views.tree, name="goals-tree"),
    path("<int:pk>/", views.detail, name="goal"),
    path("<int:pk>/edit/", views.edit, name="goal-edit"),
    path("<int:pk>/check-in/", views.check_in, name="goal-check-in"),
]
