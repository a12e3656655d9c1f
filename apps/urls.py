from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from apps.dashboard.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("apps.plans.urls")),
    path("", include("apps.dashboard.urls")),
    path("", include("apps.imports.urls")),
    path("", include("apps.evidence.urls")),
    path("", include("apps.notifications.urls")),
    path("", include("apps.supervision.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]

admin.site.site_header = "街道工作计划看板"
admin.site.site_title = "街道工作计划看板"
admin.site.index_title = "管理"
