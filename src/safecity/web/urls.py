"""The URLconf. Every view here is covered by tests/web/test_permissions.py's matrix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from .partnerships import views as partnership_views

urlpatterns = [
    path("", include("safecity.web.pages.urls")),
    path("sign-in/", partnership_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/keep-alive/", partnership_views.keep_alive, name="keep_alive"),
    path("account/", partnership_views.account, name="account"),
    path("audit/", partnership_views.audit_log, name="audit_log"),
    path("strategy/", include("safecity.web.strategy.urls")),
    path("scorecard/", include("safecity.web.dashboards.urls")),
    path("papers/", include("safecity.web.reports.urls")),
    path("admin/", admin.site.urls),
]
