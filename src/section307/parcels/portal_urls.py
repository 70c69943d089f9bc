from django.urls import path

from section307.parcels import portal_views

app_name = "parcels_portal"

urlpatterns = [
    path("", portal_views.detention_list, name="detention_list"),
    path("<int:pk>/", portal_views.detention_detail, name="detention_detail"),
    path("<int:pk>/proof/", portal_views.proof_submit, name="proof_submit"),
    path("<int:pk>/protest/", portal_views.protest_file, name="protest_file"),
    path("documents/<int:pk>/", portal_views.document_file, name="document_file"),
]
