from django.apps import AppConfig


class GoodsConfig(AppConfig):
    name = "section307.goods"
    label = "goods"
    verbose_name = "Goods"
