"""URLs of the shared platform services: notifications, attachments, departments, the calendar."""

from django.urls import path

from peiyu.core import workflow_views
from peiyu.core.attachments import views as attachments
from peiyu.core.departments import views as departments
from peiyu.core.notifications import views as notifications
from peiyu.core.workdays import views as workdays

urlpatterns = [
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read-all/", notifications.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("notifications/settings/", notifications.NotificationPreferencesView.as_view(), name="notification-preferences"),
    path("notifications/<int:pk>/open/", notifications.NotificationOpenView.as_view(), name="notification-open"),
    path("attachments/<int:content_type_id>/<int:object_id>/", attachments.AttachmentPanelView.as_view(), name="attachment-panel"),
    path("attachments/<int:pk>/download/", attachments.AttachmentDownloadView.as_view(), name="attachment-download"),
    path("attachments/<int:pk>/delete/", attachments.AttachmentDeleteView.as_view(), name="attachment-delete"),
    path(
        "workflow/<int:content_type_id>/<int:object_id>/<slug:name>/",
        workflow_views.TransitionView.as_view(),
        name="workflow-transition",
    ),
    path("departments/", departments.DepartmentListView.as_view(), name="department-list"),
    path("departments/new/", departments.DepartmentEditView.as_view(), name="department-add"),
    path("departments/<int:pk>/edit/", departments.DepartmentEditView.as_view(), name="department-edit"),
    path("departments/<int:pk>/delete/", departments.DepartmentDeleteView.as_view(), name="department-delete"),
    path("calendar/", workdays.DeclaredDayListView.as_view(), name="declared-day-list"),
    path("calendar/new/", workdays.DeclaredDayEditView.as_view(), name="declared-day-add"),
    path("calendar/<int:pk>/edit/", workdays.DeclaredDayEditView.as_view(), name="declared-day-edit"),
    path("calendar/<int:pk>/delete/", workdays.DeclaredDayDeleteView.as_view(), name="declared-day-delete"),
]
