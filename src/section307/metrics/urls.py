from django.urls import path

from section307.metrics import views

app_name = "metrics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("tables/<slug:key>.<slug:fmt>", views.dashboard_export, name="export"),
    path("targets/", views.targets, name="targets"),
    path("detentions/", views.drill_detentions, name="detentions"),
    path("cases/", views.drill_cases, name="cases"),
    path("outcomes/", views.outcomes, name="outcomes"),
    path("outcomes/<int:pk>/evidence", views.outcome_evidence, name="outcome_evidence"),
    path("reports/", views.report_request, name="report_request"),
    path("reports/<int:pk>.pdf", views.report_download, name="report_download"),
]
