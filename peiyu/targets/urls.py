from django.urls import path

from peiyu.targets import views

app_name = "targets"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/new/", views.PlanEditView.as_view(), name="plan-add"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/edit/", views.PlanEditView.as_view(), name="plan-edit"),
    path("plans/<int:pk>/export/", views.plan_export, name="plan-export"),
    path("plans/<int:plan_pk>/snapshots/retake/", views.snapshot_retake, name="snapshot-retake"),
    path("plans/<int:plan_pk>/targets/new/", views.TargetEditView.as_view(), name="target-add"),
    path("plans/<int:plan_pk>/units/<int:unit_pk>/", views.UnitTargetsView.as_view(), name="unit-targets"),
    path("plans/<int:plan_pk>/cadres/", views.CadreView.as_view(), name="cadres"),
    path("targets/<int:pk>/", views.TargetDetailView.as_view(), name="target-detail"),
    path("targets/<int:pk>/edit/", views.TargetEditView.as_view(), name="target-edit"),
    path("targets/<int:pk>/split/", views.DecomposeView.as_view(), name="target-split"),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/new/", views.ReportEditView.as_view(), name="report-add"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report-edit"),
    path("schemes/<int:pk>/", views.SchemeDetailView.as_view(), name="scheme-detail"),
    path("schemes/<int:pk>/export.<str:fmt>", views.scheme_export, name="scheme-export"),
    path("benchmarks/", views.BenchmarkView.as_view(), name="benchmarks"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
    path("indicators/new/", views.IndicatorEditView.as_view(), name="indicator-add"),
    path("indicators/<int:pk>/edit/", views.IndicatorEditView.as_view(), name="indicator-edit"),
]
