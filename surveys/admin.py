"""Admin for IT: surveys and their questions. Responses are not listed here (anonymous; use the exports)."""

from django.contrib import admin

from surveys.models import Choice, Invitation, Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    fields = ["position", "kind", "text", "required", "allow_other", "show_if_question", "show_if_value"]
    extra = 0
    show_change_link = True


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "audience", "opens_at", "closes_at"]
    list_filter = ["year", "audience"]
    inlines = [QuestionInline]
    raw_id_fields = ["copied_from", "custom_people"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["survey", "position", "kind", "text"]
    list_filter = ["survey__year", "kind"]
    inlines = [ChoiceInline]
    raw_id_fields = ["survey", "show_if_question", "origin"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    # The token is a credential: never shown here.
    list_display = ["survey", "person", "has_answered", "sent_at", "reminded_at"]
    list_filter = ["survey", "has_answered"]
    fields = ["survey", "person", "has_answered", "sent_at", "reminded_at"]
    readonly_fields = ["survey", "person", "has_answered"]
    search_fields = ["person__last_name", "person__first_name", "person__email"]
