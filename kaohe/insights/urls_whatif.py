from django.urls import path

from . import views_whatif as views

urlpatterns = [
    path("", views.whatif_list, name="whatif"),
    path("new/", views.whatif_new, name="whatif-new"),
    path("new/<int:cycle>/<int:version>/", views.whatif_edit, name="whatif-edit"),
    path("new/<int:cycle>/<int:version>/redraw/", views.whatif_redraw, name="whatif-redraw"),
    path("new/<int:cycle>/<int:version>/run/", views.whatif_run, name="whatif-run"),
    path("new/<int:cycle>/<int:version>/save/", views.whatif_save, name="whatif-save"),
    path("runs/<int:pk>/", views.whatif_job, name="whatif-job"),
    path("<int:pk>/", views.whatif_saved, name="whatif-saved"),
    path("<int:pk>/edit/", views.whatif_reopen, name="whatif-reopen"),
    path("<int:pk>/delete/", views.whatif_delete, name="whatif-delete"),
    path("<int:pk>/export.<str:format>", views.whatif_export, name="whatif-export"),
]
