from django.urls import path

from peiyu.services import views

app_name = "services"
urlpatterns = [
    path("", views.quota_list, name="quotas"),
    path("quotas/add/", views.QuotaEditView.as_view(), name="quota-add"),
    path("quotas/<int:pk>/edit/", views.QuotaEditView.as_view(), name="quota-edit"),
    path("events/", views.event_list, name="events"),
    path("events/add/", views.EventEditView.as_view(), name="event-add"),
    path("events/<int:pk>/", views.event_detail, name="event"),
    path("events/<int:pk>/edit/", views.EventEditView.as_view(), name="event-edit"),
    path("events/<int:pk>/qr.svg", views.event_qr, name="event-qr"),
    path("sign-in/<str:token>/", views.sign_in, name="sign-in"),
    path("financing/", views.financing_list, name="financing"),
    path("financing/add/", views.FinancingEditView.as_view(), name="financing-add"),
    path("financing/<int:pk>/edit/", views.FinancingEditView.as_view(), name="financing-edit"),
    path("financing/import/", views.financing_import, name="financing-import"),
    path("financing/template.xlsx", views.financing_template, name="financing-template"),
    path("financing/export.xlsx", views.financing_export, name="financing-export"),
    path("board/", views.board, name="board"),
    path("board/add/", views.PostEditView.as_view(), name="post-add"),
    path("board/<int:pk>/", views.post_detail, name="post"),
    path("board/<int:pk>/edit/", views.PostEditView.as_view(), name="post-edit"),
    path("board/<int:pk>/introduce/<int:other>/", views.introduce, name="introduce"),
    path("introductions/<int:pk>/", views.introduction_edit, name="introduction"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/add/", views.policy_edit, name="policy-add"),
    path("policies/<int:pk>/", views.policy_detail, name="policy"),
    path("policies/<int:pk>/edit/", views.policy_edit, name="policy-edit"),
    path("policies/<int:pk>/publish/", views.policy_publish, name="policy-publish"),
    path("policies/<int:pk>/push-list.xlsx", views.policy_export, name="policy-export"),
    path("my-policies/", views.my_policies, name="my-policies"),
    path("enterprises/<int:pk>/policies/", views.enterprise_policies, name="enterprise-policies"),
    path("enterprises/<int:pk>/diagnosis/", views.diagnosis, name="diagnosis"),
    path("enterprises/<int:pk>/diagnosis.docx", views.diagnosis_docx, name="diagnosis-docx"),
]
