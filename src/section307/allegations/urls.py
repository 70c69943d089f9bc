from django.urls import path

from section307.allegations import views_public, views_triage

app_name = "allegations"

urlpatterns = [
    # Public portal (no account).
    path("report/", views_public.start, name="report_start"),
    path("report/step/<slug:slug>/", views_public.step, name="report_step"),
    path("report/discard/", views_public.draft_discard, name="report_discard"),
    path("report/receipt/", views_public.receipt, name="report_receipt"),
    path("report/follow-up/", views_public.followup_login, name="followup_login"),
    path("report/follow-up/status/", views_public.followup, name="followup"),
    path("report/follow-up/leave/", views_public.followup_logout, name="followup_logout"),
    # Triage (analysts and supervisors).
    path("allegations/", views_triage.inbox, name="inbox"),
    path("allegations/<int:pk>/", views_triage.detail, name="detail"),
    path("allegations/<int:pk>/actions/<slug:name>/", views_triage.action, name="action"),
    path(
        "allegations/<int:pk>/files/<int:attachment_pk>/<slug:version>/",
        views_triage.attachment_download,
        name="attachment",
    ),
]
