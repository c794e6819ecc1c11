from django.urls import path

from . import cycle_views, scheme_views, views

urlpatterns = [
    path("appraisals/", views.appraisal_list, name="appraisals"),
    path("appraisals/bulk/", views.appraisal_bulk, name="appraisals-bulk"),
    path("appraisals/<int:pk>/", views.appraisal_detail, name="appraisal"),
    path("appraisals/<int:pk>/act/<slug:action>/", views.appraisal_act, name="appraisal-act"),
    path("notifications/", views.notifications, name="notifications"),
    path("schemes/", scheme_views.scheme_list, name="schemes"),
    path("schemes/defaults/", scheme_views.scheme_defaults, name="scheme-defaults"),
    path("schemes/check/", scheme_views.scheme_check, name="scheme-check"),
    path("schemes/<int:pk>/", scheme_views.scheme_edit, name="scheme-edit"),
    path("schemes/<int:pk>/clone/", scheme_views.scheme_clone, name="scheme-clone"),
    path("cycles/", cycle_views.cycle_list, name="cycles"),
    path("cycles/new/", cycle_views.cycle_new, name="cycle-new"),
    path("cycles/<int:pk>/", cycle_views.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/base-pay/", cycle_views.cycle_base_pay, name="cycle-base-pay"),
    path("cycles/<int:pk>/launch/", cycle_views.cycle_launch, name="cycle-launch"),
    path("cycles/<int:pk>/progress/", cycle_views.cycle_progress, name="cycle-progress"),
    path("cycles/<int:pk>/remind/", cycle_views.cycle_remind, name="cycle-remind"),
]
