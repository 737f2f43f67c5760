from django.contrib import admin

from mentors.models import Cohort, Pairing


@admin.register(Pairing)
class PairingAdmin(admin.ModelAdmin):
    list_display = ["mentor", "mentee", "year", "started_on", "ended_on"]
    list_filter = ["year"]
    autocomplete_fields = ["mentor", "mentee"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "pane"]
    autocomplete_fields = ["pane", "mentors"]
