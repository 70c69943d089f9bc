from django.urls import path

from section307.parcels import views

app_name = "parcels"

urlpatterns = [
    path("", views.home, name="home"),
    path("template.csv", views.manifest_template, name="manifest_template"),
    path("manifests/new/", views.manifest_upload, name="manifest_upload"),
    path("manifests/<int:pk>/", views.manifest_detail, name="manifest_detail"),
    path("manifests/<int:pk>/progress/", views.manifest_progress, name="manifest_progress"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/detain/", views.groups_detain, name="groups_detain"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("detentions/<int:pk>/", views.detention_detail, name="detention_detail"),
    path("detentions/<int:pk>/decide/", views.detention_decide, name="detention_decide"),
    path("detentions/<int:pk>/proof/", views.detention_proof, name="detention_proof"),
    path("detentions/<int:pk>/forfeiture/", views.detention_forfeiture, name="detention_forfeiture"),
    path("detentions/<int:pk>/review/", views.detention_review, name="detention_review"),
    path("reviews/<int:pk>/", views.review_decide, name="review_decide"),
    path("p/<str:tracking_number>/", views.parcel_detail, name="parcel_detail"),
]
