from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from peiyu.core import health
from peiyu.core.views import accounts, admin, jobs

urlpatterns = [
    # Browsers and tools that ignore the page's icon link still ask for /favicon.ico (hashed name: lazy).
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("core/favicon.svg"), permanent=False)),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path("tokens/", accounts.TokenListView.as_view(), name="token-list"),
    path("users/", admin.UserListView.as_view(), name="user-list"),
    path("users/new/", admin.UserEditView.as_view(), name="user-add"),
    path("users/<int:pk>/edit/", admin.UserEditView.as_view(), name="user-edit"),
    path("users/<int:pk>/password/", admin.UserPasswordResetView.as_view(), name="user-password"),
    path("users/<int:pk>/unlock/", admin.UserUnlockView.as_view(), name="user-unlock"),
    path("units/", admin.UnitListView.as_view(), name="unit-list"),
    path("units/new/", admin.UnitEditView.as_view(), name="unit-add"),
    path("units/<int:pk>/edit/", admin.UnitEditView.as_view(), name="unit-edit"),
    path("jobs/", jobs.JobListView.as_view(), name="job-list"),
    path("jobs/<int:pk>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("jobs/<int:pk>/row/", jobs.JobRowView.as_view(), name="job-row"),
    path("jobs/<int:pk>/download/", jobs.JobDownloadView.as_view(), name="job-download"),
    path("jobs/<int:pk>/retry/", jobs.JobRetryView.as_view(), name="job-retry"),
    path("scheduled-tasks/", jobs.ScheduleView.as_view(), name="schedule"),
    path("healthz", health.healthz, name="healthz"),
    path("", include("peiyu.core.urls_platform")),
]
