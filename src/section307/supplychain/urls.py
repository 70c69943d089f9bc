from django.urls import path

from section307.supplychain import views

app_name = "supplychain"

urlpatterns = [
    path("", views.map_list, name="list"),
    path("template/", views.template_download, name="template"),
    path("upload/", views.map_upload, name="upload"),
    path("self-screening/", views.self_screen, name="self_screen"),
    path("uploads/<int:pk>/", views.job_detail, name="job"),
    path("uploads/<int:pk>/results/", views.job_download, name="job_download"),
    path("from-entry/", views.from_entry, name="from_entry"),
    path("from-case/", views.from_case, name="from_case"),
    path("alerts/<int:pk>/read/", views.alert_read, name="alert_read"),
    path("<int:pk>/", views.map_detail, name="detail"),
    path("<int:pk>/graph.json", views.graph_data, name="graph_data"),
    path("<int:pk>/screening/", views.results_download, name="results"),
    path("<int:pk>/export/", views.map_export, name="export"),
    path("<int:pk>/nodes/<int:node_pk>/match/", views.match_decide, name="match"),
    path("<int:pk>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence_file, name="evidence_file"),
    path("<int:pk>/events/", views.events_import, name="events_import"),
    path("<int:pk>/case/", views.attach_case, name="attach_case"),
]
