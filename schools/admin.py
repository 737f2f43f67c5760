from django.contrib import admin

from schools.models import Building, Entitlement, Person, School, SchoolYear, ServiceCentre, StaffAssignment


class BuildingInline(admin.TabularInline):
    model = Building
    extra = 0


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "order", "cycle_length_days", "release_days_per_cycle", "mentor_quota", "is_active"]
    list_filter = ["order", "is_active"]
    search_fields = ["code", "name"]
    inlines = [BuildingInline]


@admin.register(SchoolYear)
class SchoolYearAdmin(admin.ModelAdmin):
    list_display = ["label", "starts_on", "ends_on", "is_current"]


class AssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    autocomplete_fields = ["school"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_number", "last_name", "first_name", "email", "user"]
    search_fields = ["employee_number", "last_name", "first_name", "email"]
    inlines = [AssignmentInline]
    raw_id_fields = ["user"]


@admin.register(Entitlement)
class EntitlementAdmin(admin.ModelAdmin):
    list_display = ["person", "year", "started_on"]
    list_filter = ["year"]
    autocomplete_fields = ["person"]


admin.site.register(ServiceCentre)


# Law 25: the audit trail is read-only for everyone, administrators included (no add, change or delete).
from auditlog.admin import LogEntryAdmin as _AuditlogEntryAdmin  # noqa: E402
from auditlog.models import LogEntry  # noqa: E402


class ReadOnlyLogEntryAdmin(_AuditlogEntryAdmin):
    def has_delete_permission(self, request, obj=None):
        return False


if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
admin.site.register(LogEntry, ReadOnlyLogEntryAdmin)
