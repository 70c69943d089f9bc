from django.urls import path

from section307.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("all/", views.case_list, name="case_list"),
    path("queue/", views.task_queue, name="task_queue"),
    path("new/", views.case_create, name="case_create"),
    path("from-allegation/<int:allegation_pk>/", views.case_open_from_allegation, name="case_open_from_allegation"),
    path("attach-allegation/<int:allegation_pk>/", views.case_attach_allegation, name="case_attach_allegation"),
    path("<str:reference>/", views.case_detail, name="case_detail"),
    path("<str:reference>/edit/", views.case_edit, name="case_edit"),
    path("<str:reference>/move/", views.case_transition, name="case_transition"),
    path("<str:reference>/parties/", views.case_party_add, name="case_party_add"),
    path("<str:reference>/parties/<int:pk>/remove/", views.case_party_remove, name="case_party_remove"),
    path("<str:reference>/memo/", views.case_memo, name="case_memo"),
    path("<str:reference>/tasks/", views.task_add, name="task_add"),
    path("<str:reference>/tasks/<int:pk>/", views.task_action, name="task_action"),
    path("<str:reference>/stakeholders/", views.engagement_add, name="engagement_add"),
    path("<str:reference>/comments/", views.comment_add, name="comment_add"),
    path("<str:reference>/share/", views.case_share, name="case_share"),
    path("<str:reference>/merge/", views.case_merge, name="case_merge"),
    path("<str:reference>/close/", views.case_close, name="case_close"),
    path("<str:reference>/reopen/", views.case_reopen, name="case_reopen"),
    path("<str:reference>/audit/", views.case_audit, name="case_audit"),
    path("<str:reference>/evidence/", views.evidence_list, name="evidence_list"),
    path("<str:reference>/evidence/import/", views.evidence_import, name="evidence_import"),
    path("<str:reference>/evidence/manifest.csv", views.evidence_manifest, name="evidence_manifest"),
    path("<str:reference>/evidence/<int:pk>/", views.evidence_detail, name="evidence_detail"),
    path("<str:reference>/evidence/<int:pk>/download/", views.evidence_download, name="evidence_download"),
    path("<str:reference>/ilo/", views.ilo_matrix, name="ilo_matrix"),
    path("<str:reference>/proposal/", views.proposal_edit, name="proposal_edit"),
    path("<str:reference>/proposal/<int:pk>/", views.proposal_decide, name="proposal_decide"),
    path("<str:reference>/orders/<int:order_pk>/requests/", views.change_request_create, name="change_request_create"),
]
