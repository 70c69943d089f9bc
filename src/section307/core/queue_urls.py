from django.urls import path

from section307.core import queue_views

app_name = "work"

urlpatterns = [
    path("", queue_views.queue_page, name="queue"),
]
