from django.contrib.auth import views as auth_views
from django.urls import path

from zhongchuang.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("register/sent/", views.register_done, name="register_done"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("members/", views.members, name="members"),
    path("members/invite/", views.invite, name="invite"),
    path(
        "members/invitations/<int:invitation_id>/revoke/", views.invitation_revoke, name="invitation_revoke"
    ),
    path("invitations/<str:token>/", views.accept, name="accept"),
    path("staff/", views.staff, name="staff"),
    path("staff/<int:user_id>/", views.staff_detail, name="staff_detail"),
    path("password/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
