from django.urls import path

from section307.trade import hq_views

app_name = "hq"

urlpatterns = [
    path("", hq_views.hq_home, name="home"),
    path("requests/<int:pk>/", hq_views.hq_request, name="request"),
    path("protests/<int:pk>/", hq_views.hq_protest, name="protest"),
    path("determinations/<int:pk>/", hq_views.hq_determination, name="determination"),
    path("determinations/<int:pk>/report/", hq_views.hq_report, name="report"),
]
