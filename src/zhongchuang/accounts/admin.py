"""The platform's own staff (superusers) manage bureaus, operators and memberships here."""

from __future__ import annotations

from django.contrib import admin

from zhongchuang.accounts.models import Bureau, Invitation, Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "email_confirmed")
    autocomplete_fields = ("user",)


@admin.register(Bureau)
class BureauAdmin(admin.ModelAdmin):
    list_display = ("name", "city")
    search_fields = ("name", "city")
    inlines = (MembershipInline,)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "contact_name", "contact_phone", "contact_email", "created_at")
    search_fields = ("name", "uscc", "contact_name", "contact_email")
    date_hierarchy = "created_at"
    inlines = (MembershipInline,)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organisation", "bureau", "role", "email_confirmed")
    list_filter = ("role", "email_confirmed", "bureau")
    search_fields = (
        "user__username",
        "user__email",
        "organisation__name",
        "organisation__uscc",
        "bureau__name",
    )
    list_select_related = ("user", "organisation", "bureau")
    autocomplete_fields = ("user", "organisation", "bureau")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("email", "organisation", "role", "invited_by", "created_at", "accepted_at")
    list_filter = ("role",)
    search_fields = ("email", "organisation__name", "organisation__uscc")
    list_select_related = ("organisation", "invited_by")
    readonly_fields = ("token", "created_at", "accepted_at")
    autocomplete_fields = ("organisation", "invited_by")
