from django.urls import path

from . import views_sentiment as views

urlpatterns = [
    path("", views.calls, name="sentiment-calls"),
    path("calls.csv", views.calls_export, name="sentiment-calls-export"),
]
