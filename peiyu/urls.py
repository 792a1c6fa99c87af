from django.urls import include, path

from peiyu.api import api
from peiyu.enterprises.views import DashboardView

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("enterprises/", include("peiyu.enterprises.urls")),
    path("enterprises/", include("peiyu.enterprises.urls_io")),
    path("evaluation/", include("peiyu.evaluation.urls")),
    path("", DashboardView.as_view(), name="dashboard"),
    path("", include("peiyu.core.urls")),
]
