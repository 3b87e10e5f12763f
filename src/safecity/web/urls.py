"""The URLconf. Every view here is covered by tests/web/test_permissions.py's matrix."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import converters  # noqa: F401  (registers <id:…> before the apps' URLconfs load)
from .partnerships import people_views
from .partnerships import views as partnership_views

urlpatterns = [
    path("", include("safecity.web.pages.urls")),
    path("sign-in/", partnership_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("session/keep-alive/", partnership_views.keep_alive, name="keep_alive"),
    path("account/", partnership_views.account, name="account"),
    path("audit/", partnership_views.audit_log, name="audit_log"),
    path("partnership/people/", people_views.people, name="people"),
    path("partnership/people/invite/", people_views.invite, name="invite"),
    path("partnership/people/<id:pk>/", people_views.person, name="person"),
    path("partnership/people/<id:pk>/active/", people_views.person_active,
         name="person_active"),
    path("partnership/people/<id:pk>/invite-again/", people_views.person_reinvite,
         name="person_reinvite"),
    path("partnership/agencies/", people_views.agencies, name="agencies"),
    path("partnership/agencies/new/", people_views.agency_new, name="agency_new"),
    path("partnership/agencies/<id:pk>/", people_views.agency_edit, name="agency_edit"),
    path("invitation/<uidb64>/<token>/", people_views.AcceptInvitationView.as_view(),
         name="accept_invitation"),
    path("strategy/", include("safecity.web.strategy.urls")),
    path("scorecard/", include("safecity.web.dashboards.urls")),
    path("papers/", include("safecity.web.reports.urls")),
    path("report-hate/", include("safecity.web.hate_reports.public_urls")),
    path("hate-reports/", include("safecity.web.hate_reports.urls")),
    path("asb-case-review/", include("safecity.web.casereviews.public_urls")),
    path("case-reviews/", include("safecity.web.casereviews.urls")),
    path("governance/", include("safecity.web.governance.urls")),
    path("intelligence/", include("safecity.web.intelligence.urls")),
    path("action-groups/", include("safecity.web.actiongroups.urls")),
    path("evidence/", include("safecity.web.evidence.urls")),
    path("admin/", admin.site.urls),
]
