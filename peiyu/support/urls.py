from django.urls import path

from peiyu.support import views

app_name = "support"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("voucher-policies/", views.VoucherPolicyListView.as_view(), name="voucherpolicy-list"),
    path("voucher-policies/new/", views.VoucherPolicyEditView.as_view(), name="voucherpolicy-add"),
    path("voucher-policies/<int:pk>/", views.VoucherPolicyDetailView.as_view(), name="voucherpolicy-detail"),
    path("voucher-policies/<int:pk>/edit/", views.VoucherPolicyEditView.as_view(), name="voucherpolicy-edit"),
    path("providers/", views.ProviderListView.as_view(), name="provider-list"),
    path("providers/new/", views.ProviderEditView.as_view(), name="provider-add"),
    path("providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider-detail"),
    path("providers/<int:pk>/edit/", views.ProviderEditView.as_view(), name="provider-edit"),
    path(
        "providers/<int:provider_pk>/services/new/",
        views.ProviderServiceAddView.as_view(),
        name="providerservice-add",
    ),
    path("vouchers/", views.VoucherListView.as_view(), name="voucher-list"),
    path("vouchers/apply/", views.VoucherApplyView.as_view(), name="voucher-apply"),
    path("vouchers/<int:pk>/", views.VoucherDetailView.as_view(), name="voucher-detail"),
    path("vouchers/<int:pk>/use/", views.VoucherUseView.as_view(), name="voucher-use"),
    path("vouchers/<int:pk>/redeem/", views.VoucherRedeemView.as_view(), name="voucher-redeem"),
    path("redemptions/", views.RedemptionListView.as_view(), name="redemption-list"),
    path("subsidy-policies/", views.SubsidyPolicyListView.as_view(), name="subsidypolicy-list"),
    path("subsidy-policies/new/", views.SubsidyPolicyEditView.as_view(), name="subsidypolicy-add"),
    path("subsidy-policies/<int:pk>/", views.SubsidyPolicyDetailView.as_view(), name="subsidypolicy-detail"),
    path("subsidy-policies/<int:pk>/edit/", views.SubsidyPolicyEditView.as_view(), name="subsidypolicy-edit"),
    path(
        "subsidy-policies/<int:pk>/compute/", views.SubsidyComputeView.as_view(), name="subsidypolicy-compute"
    ),
    path("subsidies/", views.SubsidyListView.as_view(), name="subsidy-list"),
    path("subsidies/<int:pk>/", views.SubsidyDetailView.as_view(), name="subsidy-detail"),
    path("subsidies/<int:pk>/<slug:step>/", views.SubsidyStepView.as_view(), name="subsidy-step"),
    path("commissioners/", views.CommissionerListView.as_view(), name="commissioner-list"),
    path("commissioners/new/", views.CommissionerEditView.as_view(), name="commissioner-add"),
    path("commissioners/<int:pk>/", views.CommissionerDetailView.as_view(), name="commissioner-detail"),
    path("commissioners/<int:pk>/edit/", views.CommissionerEditView.as_view(), name="commissioner-edit"),
    path(
        "commissioners/<int:commissioner_pk>/assignments/new/",
        views.AssignmentAddView.as_view(),
        name="assignment-add",
    ),
    path(
        "commissioners/<int:commissioner_pk>/outcomes/new/",
        views.OutcomeAddView.as_view(),
        name="outcome-add",
    ),
    path("teams/new/", views.TeamEditView.as_view(), name="team-add"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team-detail"),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team-edit"),
    path("service-logs/", views.ServiceLogListView.as_view(), name="servicelog-list"),
    path("service-logs/new/", views.ServiceLogAddView.as_view(), name="servicelog-add"),
    path("service-logs/<int:pk>/", views.ServiceLogDetailView.as_view(), name="servicelog-detail"),
    path("my-services/", views.MyAssignmentsView.as_view(), name="my-assignments"),
    path("funds/", views.FundListView.as_view(), name="fund-list"),
    path("funds/new/", views.FundEditView.as_view(), name="fund-add"),
    path("export/<slug:table>/", views.ExportView.as_view(), name="export"),
]
