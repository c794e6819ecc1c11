from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", views.SignOutView.as_view(), name="logout"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("account/tokens/", views.my_tokens, name="my-tokens"),
    path("account/tokens/<int:pk>/revoke/", views.revoke_token, name="token-revoke"),
]
