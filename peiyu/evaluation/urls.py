from django.urls import path

from peiyu.evaluation.views import cultivation, enterprise, rulesets

app_name = "evaluation"
urlpatterns = [
    path("", rulesets.index, name="index"),
    path("rulesets/<int:pk>/", rulesets.detail, name="ruleset"),
    path("rulesets/<int:pk>/copy/", rulesets.copy, name="ruleset-copy"),
    path("rulesets/<int:pk>/activate/", rulesets.activate, name="ruleset-activate"),
    path("enterprise/<int:pk>/", enterprise.enterprise, name="enterprise"),
    path("self/", enterprise.self_list, name="self"),
    path("self/<int:pk>/", enterprise.self_evaluation, name="self-enterprise"),
    path("pools/", cultivation.pool_list, name="pools"),
    path("pools/export.xlsx", cultivation.pool_export, name="pools-export"),
    path("alerts/", cultivation.alert_list, name="alerts"),
    path("alerts/export.xlsx", cultivation.alert_export, name="alerts-export"),
    path("what-if/", cultivation.what_if, name="whatif"),
]
