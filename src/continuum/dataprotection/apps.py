from django.apps import AppConfig


class DataProtectionConfig(AppConfig):
    name = "continuum.dataprotection"
    label = "dataprotection"
    verbose_name = "Data protection"
