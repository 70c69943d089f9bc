from django.urls import path

from section307.ipr import views

app_name = "ipr"

urlpatterns = [
    path("", views.detention_list, name="detention_list"),
    path("detain/", views.detain, name="detain"),
    path("detentions/<int:pk>/", views.detention_detail, name="detention_detail"),
    path("detentions/<int:pk>/photos/", views.photo_upload, name="photo_upload"),
    path("detentions/<int:pk>/respond/", views.respond, name="respond"),
    path("detentions/<int:pk>/reply/", views.importer_reply, name="importer_reply"),
    path("detentions/<int:pk>/<slug:action>/", views.detention_action, name="detention_action"),
    path("images/<int:pk>/redact/", views.image_redact, name="image_redact"),
    path("images/<int:pk>/<slug:variant>/", views.image_file, name="image_file"),
    path("photo-standard.pdf", views.photo_standard_pdf, name="photo_standard"),
    path("recordations/", views.recordation_list, name="recordation_list"),
    path("recordations/<int:pk>/", views.recordation_detail, name="recordation_detail"),
]
