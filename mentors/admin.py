from django.contrib import admin

from mentors.models import Candidacy, Cohort, CohortMember, DecisionLog, MentorAssignment, Pairing, ProgrammeSettings


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "year", "started_on", "ended_on", "status"]
    list_filter = ["year"]
    autocomplete_fields = ["mentor", "mentee"]


class CohortMemberInline(admin.TabularInline):
    model = CohortMember
    fields = ["person"]
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "order"]
    list_filter = ["year", "order"]
    autocomplete_fields = ["panes", "trainers"]
    inlines = [CohortMemberInline]


# FollowUpEntry is deliberately not registered: a mentor's notes are readable by their author only.


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_at", "closes_at", "substitute_daily_rate", "compensation", "teaching_days"]


class DecisionLogInline(admin.TabularInline):
    model = DecisionLog
    extra = 0
    can_delete = False
    readonly_fields = ["at", "by", "from_decision", "to_decision", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ["person", "year", "school", "status", "director_opinion", "decision", "is_renewal"]
    list_filter = ["year", "status", "decision", "director_opinion", "order", "is_renewal"]
    search_fields = ["person__last_name", "person__first_name", "person__employee_number", "school__name"]
    autocomplete_fields = ["person", "school"]
    readonly_fields = ["version", "decision", "decided_by", "decided_at", "opinion_by", "opinion_at"]
    inlines = [DecisionLogInline]


@admin.register(MentorAssignment)
class MentorAssignmentAdmin(admin.ModelAdmin):
    list_display = ["person", "year", "school", "building", "release_days_per_cycle", "cycle_length_days", "capacity"]
    list_filter = ["year", "school__order"]
    search_fields = ["person__last_name", "person__first_name", "school__name"]
    autocomplete_fields = ["person", "school"]
    raw_id_fields = ["candidacy", "building"]
