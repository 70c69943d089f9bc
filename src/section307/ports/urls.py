from django.urls import path

from section307.ports import views

app_name = "ports"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("entries/", views.entry_list, name="entry_list"),
    path("entries/upload/", views.entries_upload, name="entries_upload"),
    path(
        "entries/upload/template.<str:fmt>",
        views.entries_upload_template,
        name="entries_upload_template",
    ),
    path("entries/<str:entry_number>/", views.entry_detail, name="entry_detail"),
    path("entries/<str:entry_number>/target/", views.entry_target, name="entry_target"),
    path("entries/<str:entry_number>/images/", views.image_upload, name="image_upload"),
    path("images/<int:pk>/", views.image_file, name="image_file"),
    path("images/<int:pk>/redacted/", views.image_file, {"variant": "redacted"}, name="image_redacted"),
    path("images/<int:pk>/redact/", views.image_redact, name="image_redact"),
    path("detentions/", views.detention_list, name="detention_list"),
    path("detentions/<int:pk>/", views.detention_detail, name="detention_detail"),
    path("detentions/<int:pk>/decide/", views.detention_decide, name="detention_decide"),
    path("detentions/<int:pk>/forfeiture/", views.forfeiture_record, name="forfeiture_record"),
    path("clocks/", views.clocks_due, name="clocks_due"),
    path("clocks/<int:pk>/<str:action>/", views.clock_action, name="clock_action"),
    path("rescreen/", views.rescreen, name="rescreen"),
    path("rescreen/<int:pk>/", views.rescreen_detail, name="rescreen_detail"),
]
