from django.urls import path

from peiyu.projects import views

app_name = "projects"
urlpatterns = [
    path("", views.call_list, name="call-list"),
    path("calls/<int:pk>/", views.call_detail, name="call-detail"),
    path("calls/<int:pk>/apply/", views.application_create, name="application-create"),
    path("calls/<int:pk>/draws/", views.draws, name="draws"),
    path("calls/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("calls/<int:pk>/ranking.<str:fmt>", views.ranking_export, name="ranking-export"),
    path("calls/<int:pk>/publish/", views.publish, name="publish"),
    path("calls/<int:pk>/approve/", views.approve, name="approve"),
    path("calls/<int:pk>/objections/", views.objection_add, name="objection-add"),
    path("publicity/<int:pk>/", views.publicity, name="publicity"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application-edit"),
    path("applications/<int:pk>/step/<slug:step>/", views.application_step, name="application-step"),
    path("draws/<int:pk>/", views.draw_detail, name="draw-detail"),
    path("draw-members/<int:pk>/decline/", views.member_decline, name="member-decline"),
    path("review/", views.review_list, name="review-list"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
    path("review/<int:pk>/declare/", views.review_declare, name="review-declare"),
    path("funding/", views.funding, name="funding"),
    path("funding.<str:fmt>", views.funding_export, name="funding-export"),
    path("funded/<int:pk>/", views.project_detail, name="project-detail"),
    path("tranches/<int:pk>/paid/", views.tranche_paid, name="tranche-paid"),
    path("experts/", views.expert_list, name="expert-list"),
    path("experts/new/", views.ExpertEditView.as_view(), name="expert-add"),
    path("experts/<int:pk>/", views.expert_detail, name="expert-detail"),
    path("experts/<int:pk>/edit/", views.ExpertEditView.as_view(), name="expert-edit"),
    path("reserve/", views.reserve_list, name="reserve-list"),
    path("reserve/new/", views.ReserveEditView.as_view(), name="reserve-add"),
    path("reserve/<int:pk>/edit/", views.ReserveEditView.as_view(), name="reserve-edit"),
]
