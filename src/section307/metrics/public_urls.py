from django.urls import path

from section307.metrics import views

app_name = "statistics"

urlpatterns = [
    path("", views.statistics_page, name="page"),
    path("<slug:dimension>.<slug:fmt>", views.statistics_export, name="export"),
]
