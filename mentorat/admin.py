from django.contrib import admin

from mentorat.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by the code and resent from « Courriels en échec »."""

    list_display = ["kind", "to", "status", "attempts", "source", "created_at", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "key", "source"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
