from django.urls import path

from . import views

urlpatterns = [
    path("", views.data_import, name="data-import"),
    path("apply/", views.data_import_apply, name="data-import-apply"),
]
