from django.urls import path

from section307.supplychain import diligence_views as dv
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
    path("diligence/", dv.diligence_home, name="diligence"),
    path("diligence/edit/", dv.assessment_edit, name="assessment_edit"),
    path("diligence/assessments/<int:pk>/", dv.assessment_detail, name="assessment"),
    path("diligence/assessments/<int:pk>/answer/", dv.answer_save, name="answer_save"),
    path("diligence/assessments/<int:pk>/submit/", dv.assessment_submit, name="assessment_submit"),
    path("diligence/assessments/<int:pk>/answers/<int:answer_pk>/file/", dv.answer_file, name="answer_file"),
    path("diligence/plans/new/", dv.plan_new, name="plan_new"),
    path("diligence/plans/<int:pk>/", dv.plan_detail, name="plan"),
    path("diligence/plans/<int:pk>/milestones/", dv.milestone_add, name="milestone_add"),
    path("diligence/plans/<int:pk>/milestones/<int:milestone_pk>/done/", dv.milestone_complete, name="milestone_done"),
    path("diligence/plans/<int:pk>/outcome/", dv.plan_close, name="plan_close"),
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
