from django.urls import path

from section307.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
]
