from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class WorkflowConfig(AppConfig):
    name = "zhongchuang.workflow"
    label = "workflow"
    verbose_name = "审核流程"

    def ready(self) -> None:
        # each app declares the guards it owns in its own `guards.py`
        autodiscover_modules("guards")
