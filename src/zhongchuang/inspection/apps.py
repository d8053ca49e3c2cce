from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "zhongchuang.inspection"
    label = "inspection"
    verbose_name = "现场核查"
