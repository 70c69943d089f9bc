from django.urls import path

from section307.trade import views

app_name = "trade"

urlpatterns = [
    path("", views.home, name="home"),
    path("entries/<str:entry_number>/", views.entry_detail, name="entry_detail"),
    path("detentions/<int:pk>/", views.detention_detail, name="detention_detail"),
    path("detentions/<int:pk>/export/", views.detention_export, name="detention_export"),
    path("detentions/<int:pk>/protest/", views.protest_file, name="protest_file"),
    path("requests/new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/statement/", views.request_statement, name="request_statement"),
    path("requests/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("requests/<int:pk>/submit/", views.request_submit, name="request_submit"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/withdraw/", views.request_withdraw, name="request_withdraw"),
    path("requests/<int:pk>/ask/", views.request_ask, name="request_ask"),
    path("documents/<int:pk>/", views.document_file, name="document_file"),
    path("brokers/", views.brokers, name="brokers"),
    path("brokers/<int:pk>/revoke/", views.broker_revoke, name="broker_revoke"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
]
