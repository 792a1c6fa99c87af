from django.urls import path

from peiyu.enterprises import views

urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise-list"),
    path("new/", views.EnterpriseEditView.as_view(), name="enterprise-add"),
    path("deleted/", views.DeletedEnterpriseListView.as_view(), name="enterprise-deleted"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise-detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise-edit"),
    path("<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="enterprise-delete"),
    path("<int:enterprise_pk>/years/new/", views.EnterpriseYearEditView.as_view(), name="enterpriseyear-add"),
    path("years/<int:pk>/edit/", views.EnterpriseYearEditView.as_view(), name="enterpriseyear-edit"),
    path("years/<int:pk>/delete/", views.EnterpriseYearDeleteView.as_view(), name="enterpriseyear-delete"),
    path("<int:enterprise_pk>/qualifications/new/", views.QualificationEditView.as_view(), name="qualification-add"),
    path("qualifications/<int:pk>/edit/", views.QualificationEditView.as_view(), name="qualification-edit"),
    path("qualifications/<int:pk>/delete/", views.QualificationDeleteView.as_view(), name="qualification-delete"),
]
