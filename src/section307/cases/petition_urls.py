from django.urls import path

from section307.cases import petition_views as views

app_name = "petitions"

urlpatterns = [
    path("", views.petition_list, name="list"),
    path("new/", views.petition_create, name="create"),
    path("<int:pk>/", views.petition_detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.petition_action, name="action"),
]
