from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "section307.geo"
    label = "geo"
    verbose_name = "Countries and regions"
