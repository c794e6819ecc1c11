from django.urls import path

from . import views

urlpatterns = [
    path("", views.pay_cycles, name="pay"),
    path("<int:pk>/", views.pay_cycle, name="pay-cycle"),
    path("<int:pk>/budget/", views.pay_budget, name="pay-budget"),
    path("<int:pk>/export/", views.pay_export, name="pay-export"),
    path("report/<int:pk>/", views.pay_report, name="pay-report"),
]
