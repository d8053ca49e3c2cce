from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhongchuang.review"
    label = "review"
    verbose_name = "收件与形式审核"
