from django.urls import path

from section307.orders import views

app_name = "registry"

urlpatterns = [
    path("", views.order_list, name="order_list"),
    path("orders/<str:reference>/", views.order_detail, name="order_detail"),
    path("parties/<int:pk>/", views.party_detail, name="party_detail"),
]
