from django.urls import path

from peiyu.ledger import views

app_name = "ledger"

urlpatterns = [
    path("", views.LedgerListView.as_view(), name="index"),
    path("new/", views.LedgerEditView.as_view(), name="ledger-add"),
    path("import/", views.LedgerImportView.as_view(), name="ledger-import"),
    path("<int:pk>/", views.LedgerDetailView.as_view(), name="ledger-detail"),
    path("<int:pk>/edit/", views.LedgerEditView.as_view(), name="ledger-edit"),
    path("<int:pk>/export/", views.LedgerExportView.as_view(), name="ledger-export"),
    path("<int:ledger_pk>/items/new/", views.ItemEditView.as_view(), name="item-add"),
    path("items/", views.ItemListView.as_view(), name="item-list"),
    path("items/mine/", views.ItemListView.as_view(mine=True), name="my-items"),
    path("items/<int:pk>/", views.ItemDetailView.as_view(), name="item-detail"),
    path("items/<int:pk>/edit/", views.ItemEditView.as_view(), name="item-edit"),
    path("items/<int:pk>/reports/", views.ReportCreateView.as_view(), name="report-add"),
    path("items/<int:pk>/notices/", views.NoticeCreateView.as_view(), name="notice-add"),
    path("reports/<int:pk>/return/", views.ReportReturnView.as_view(), name="report-return"),
    path("notices/<int:pk>/reply/", views.NoticeReplyView.as_view(), name="notice-reply"),
    path("calendar/", views.CalendarView.as_view(), name="calendar"),
    path("board/", views.BoardView.as_view(), name="board"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
