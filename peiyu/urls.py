from django.urls import include, path

from peiyu.api import api
from peiyu.core.app_declarations import url_patterns
from peiyu.core.choices import Role
from peiyu.core.views.landing import RoleLandingView
from peiyu.enterprises.landing import EnterpriseHomeView, PartyHomeView
from peiyu.enterprises.views import DashboardView
from peiyu.projects.views import review_list

# "/" is each role's landing page; bureau staff, unit staff, leaders and administrators get the dashboard.
# Experts land on their review assignments (the projects app's page).
home = RoleLandingView.as_view(default=DashboardView.as_view(), by_role={
    Role.EXPERT: review_list,
    Role.PARTY: PartyHomeView.as_view(),
    Role.ENTERPRISE: EnterpriseHomeView.as_view(),
})

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("enterprises/", include("peiyu.enterprises.urls")),
    path("enterprises/", include("peiyu.enterprises.urls_io")),
    path("evaluation/", include("peiyu.evaluation.urls")),
    *url_patterns(),  # each domain app's pages, where its AppConfig says
    path("", home, name="dashboard"),
    path("", include("peiyu.core.urls")),
]

handler403 = "peiyu.core.views.errors.permission_denied"
