from django.urls import path

from peiyu.carriers import views, views_io

app_name = "carriers"

urlpatterns = [
    path("", views.CarrierListView.as_view(), name="carrier-list"),
    path("new/", views.CarrierEditView.as_view(), name="carrier-add"),
    path("<int:pk>/", views.CarrierDetailView.as_view(), name="carrier-detail"),
    path("<int:pk>/edit/", views.CarrierEditView.as_view(), name="carrier-edit"),
    path("<int:pk>/delete/", views.CarrierDeleteView.as_view(), name="carrier-delete"),
    path("export.xlsx", views_io.CarrierExportView.as_view(), name="carrier-export"),
    path("template.xlsx", views_io.TemplateView.as_view(), name="carrier-template"),
    path("import/", views_io.ImportView.as_view(), name="carrier-import"),
    path("import/<str:token>/", views_io.ImportPreviewView.as_view(), name="carrier-import-preview"),
]
