from django.urls import path

from peiyu.party import views

app_name = "party"

urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="home"),
    path("ledger/", views.CoverageEntryListView.as_view(), name="entry-list"),
    path("ledger/<int:pk>/edit/", views.CoverageEntryEditView.as_view(), name="entry-edit"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation-list"),
    path("organisations/new/", views.OrganisationEditView.as_view(), name="organisation-add"),
    path("organisations/<int:pk>/", views.OrganisationDetailView.as_view(), name="organisation-detail"),
    path("organisations/<int:pk>/edit/", views.OrganisationEditView.as_view(), name="organisation-edit"),
    path(
        "organisations/<int:pk>/delete/", views.OrganisationDeleteView.as_view(), name="organisation-delete"
    ),
    path("instructors/", views.InstructorListView.as_view(), name="instructor-list"),
    path("instructors/new/", views.InstructorEditView.as_view(), name="instructor-add"),
    path("instructors/<int:pk>/edit/", views.InstructorEditView.as_view(), name="instructor-edit"),
    path("windows/", views.WindowListView.as_view(), name="window-list"),
    path("windows/<int:pk>/", views.WindowDetailView.as_view(), name="window-detail"),
    path("windows/<int:pk>/export/", views.SnapshotExportView.as_view(), name="window-export"),
    path("windows/compare/", views.CompareView.as_view(), name="window-compare"),
    path("returns/<int:pk>/", views.UnitReturnDetailView.as_view(), name="return-detail"),
    path("lead-type/", views.NominationListView.as_view(), name="nomination-list"),
    path("lead-type/new/", views.NominationEditView.as_view(), name="nomination-add"),
    path("lead-type/<int:pk>/", views.NominationDetailView.as_view(), name="nomination-detail"),
    path("lead-type/<int:pk>/edit/", views.NominationEditView.as_view(), name="nomination-edit"),
    path("showcases/", views.ShowcaseListView.as_view(), name="showcase-list"),
    path("showcases/new/", views.ShowcaseEditView.as_view(), name="showcase-add"),
    path("showcases/<int:pk>/", views.ShowcaseDetailView.as_view(), name="showcase-detail"),
    path("showcases/<int:pk>/edit/", views.ShowcaseEditView.as_view(), name="showcase-edit"),
    path("activities/", views.ActivityCalendarView.as_view(), name="activity-calendar"),
    path("activities/list/", views.ActivityListView.as_view(), name="activity-list"),
    path("activities/new/", views.ActivityEditView.as_view(), name="activity-add"),
    path("activities/<int:pk>/edit/", views.ActivityEditView.as_view(), name="activity-edit"),
    path("commendations/", views.CommendationListView.as_view(), name="commendation-list"),
    path("commendations/new/", views.CommendationEditView.as_view(), name="commendation-add"),
    path("commendations/<int:pk>/edit/", views.CommendationEditView.as_view(), name="commendation-edit"),
    path("report/<int:year>/", views.YearReportView.as_view(), name="year-report"),
]
