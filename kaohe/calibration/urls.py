from django.urls import path

from . import views

urlpatterns = [
    path("", views.session_list, name="calibration-sessions"),
    path("new/", views.session_new, name="calibration-new"),
    path("cycles/<int:pk>/guideline/", views.cycle_guideline, name="calibration-cycle-guideline"),
    path("<int:pk>/", views.session_detail, name="calibration-session"),
    path("<int:pk>/guideline/", views.session_guideline, name="calibration-session-guideline"),
    path("<int:pk>/close/", views.session_close, name="calibration-close"),
]
