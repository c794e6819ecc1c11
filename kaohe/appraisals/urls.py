from django.urls import path

from . import cycle_views, views

urlpatterns = [
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("appraisals/bulk/", views.appraisal_bulk, name="appraisals-bulk"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/act/<slug:action>/", views.appraisal_act, name="appraisal-act"),
    path(
        "appraisals/<int:pk>/refresh-data/",
        views.appraisal_refresh_data,
        name="appraisal-refresh-data",
    ),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications-read"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification-open"),
    path("cycles/", cycle_views.cycle_list, name="cycles"),
    path("cycles/new/", cycle_views.cycle_new, name="cycle-new"),
    path("cycles/<int:pk>/", cycle_views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/base-pay/", cycle_views.cycle_base_pay, name="cycle-base-pay"),
    path("cycles/<int:pk>/launch/", cycle_views.cycle_launch, name="cycle-launch"),
    path("cycles/<int:pk>/progress/", cycle_views.cycle_progress, name="cycle-progress"),
    path("cycles/<int:pk>/remind/", cycle_views.cycle_remind, name="cycle-remind"),
]
