from django.urls import path

from . import views

urlpatterns = [
    path("", views.development, name="development"),
    path("proposals/<int:pk>/decide/", views.decide, name="development-decide"),
    path("promotion-candidates/", views.candidates, name="development-candidates"),
    path("appraisals/<int:pk>/", views.appraisal_development, name="development-appraisal"),
    path("plans/<int:pk>/", views.plan_detail, name="development-plan"),
    path("diagnosis/", views.diagnosis, name="development-diagnosis"),
]
