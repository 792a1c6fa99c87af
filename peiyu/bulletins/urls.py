from django.urls import path

from peiyu.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.BulletinListView.as_view(), name="bulletin-list"),
    path("new/", views.GenerateView.as_view(), name="bulletin-generate"),
    path("<int:pk>/", views.BulletinDetailView.as_view(), name="bulletin-detail"),
    path("<int:pk>/file.<str:kind>", views.BulletinFileView.as_view(), name="bulletin-file"),
    path("<int:pk>/publish/", views.PublishView.as_view(), name="bulletin-publish"),
    path("cockpit/", views.CockpitView.as_view(), name="cockpit"),
    path("figures/", views.InputListView.as_view(), name="input-list"),
    path("figures/new/", views.InputEditView.as_view(), name="input-add"),
    path("figures/<int:pk>/edit/", views.InputEditView.as_view(), name="input-edit"),
    path("templates/", views.TemplateListView.as_view(), name="template-list"),
    path("templates/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template-edit"),
]
