from django.urls import path

from section307.orders import public_views

app_name = "orders_public"

urlpatterns = [
    path("", public_views.public_list, name="list"),
    path("<str:reference>/", public_views.public_detail, name="detail"),
]
