"""The staff admin's calendar table: overrides for newly announced years and ad-hoc changes, audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from zhongchuang.notice import services
from zhongchuang.notice.models import CalendarOverride, CoveredYear


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_working_day", "note", "created_by", "created_at")
    list_filter = ("is_working_day",)
    search_fields = ("name", "note")
    date_hierarchy = "date"
    fields = ("date", "is_working_day", "name", "note")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.calendar_override_save(override=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.calendar_override_delete(override=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:  # one audit entry per day, never a silent bulk delete
            services.calendar_override_delete(override=obj, by=request.user)


@admin.register(CoveredYear)
class CoveredYearAdmin(admin.ModelAdmin):
    list_display = ("year", "note", "created_by", "created_at")
    fields = ("year", "note")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.covered_year_save(covered=obj, by=request.user)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.covered_year_delete(covered=obj, by=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            services.covered_year_delete(covered=obj, by=request.user)
