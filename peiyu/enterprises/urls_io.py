"""Spreadsheet pages under /enterprises/: imports, batches, templates and exports."""

from django.urls import path

from peiyu.enterprises import views_io

urlpatterns = [
    path("imports/", views_io.BatchListView.as_view(), name="import-list"),
    path("imports/new/", views_io.ImportNewView.as_view(), name="import-new"),
    path("imports/preview/<str:token>/", views_io.ImportPreviewView.as_view(), name="import-preview"),
    path("imports/preview/<str:token>/progress/", views_io.ImportProgressView.as_view(), name="import-progress"),
    path("imports/preview/<str:token>/commit/", views_io.ImportCommitView.as_view(), name="import-commit"),
    path("imports/batches/<uuid:pk>/", views_io.BatchDetailView.as_view(), name="import-batch"),
    path("imports/batches/<uuid:pk>/undo/", views_io.BatchUndoView.as_view(), name="import-undo"),
    path("imports/batches/<uuid:pk>/rejected/<str:kind>.xlsx", views_io.BatchRejectedView.as_view(), name="import-batch-rejected"),
    path("imports/preview/<str:token>/rejected/<str:kind>.xlsx", views_io.PreviewRejectedView.as_view(), name="import-preview-rejected"),
    path("imports/templates/<str:kind>.xlsx", views_io.TemplateDownloadView.as_view(), name="import-template"),
    path("export/", views_io.EnterpriseExportView.as_view(), name="enterprise-export"),
]
