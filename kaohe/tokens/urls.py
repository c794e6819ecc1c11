from django.urls import path

from . import views

urlpatterns = [
    path("account/tokens/", views.my_tokens, name="my-tokens"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token, name="token-revoke"),
]
