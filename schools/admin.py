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
