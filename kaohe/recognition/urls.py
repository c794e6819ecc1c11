from django.urls import path

from . import views

urlpatterns = [
    path("", views.wall, name="recognition-wall"),
    path("give/", views.give, name="recognition-give"),
    path("mine/", views.mine, name="recognition-mine"),
    path("to-confirm/", views.to_confirm, name="recognition-to-confirm"),
    path("values/", views.values, name="recognition-values"),
    path("thanks/<int:pk>/", views.thanks_detail, name="recognition-thanks"),
    path("thanks/<int:pk>/shown/", views.set_shown, name="recognition-shown"),
    path("thanks/<int:pk>/withdraw/", views.withdraw, name="recognition-withdraw"),
    path("thanks/<int:pk>/confirm/", views.confirm, name="recognition-confirm"),
]
