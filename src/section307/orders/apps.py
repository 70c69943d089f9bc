from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "section307.orders"
    label = "orders"
    verbose_name = "Enforcement orders"
