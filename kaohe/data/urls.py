from django.urls import path

from . import views

urlpatterns = [
    path("", views.data_import, name="data-import"),
    path("jobs/<int:pk>/", views.data_job, name="data-job"),
    path("jobs/<int:pk>/progress/", views.data_job_progress, name="data-job-progress"),
    path("jobs/<int:pk>/import/", views.data_job_import, name="data-job-import"),
]
