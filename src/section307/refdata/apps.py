from django.apps import AppConfig


class RefdataConfig(AppConfig):
    name = "section307.refdata"
    label = "refdata"
    verbose_name = "Reference data loads"
