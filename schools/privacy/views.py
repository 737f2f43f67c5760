"""The Law 25 pages: the audit trail, a person's file, access and rectification requests (HR and administrators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from mentorat.spreadsheets import csv_text
from roles.access import require
from schools.models import AccessRequest, Person
from schools.privacy import journal, person_file, services
from schools.privacy.audit import AuditEvent, record_event
from schools.privacy.forms import AccessRequestForm, PersonCorrectionForm

PAGE_SIZE = 50


@require("privacy.audit")
def audit_log(request):
    form = journal.JournalFilterForm(request.GET)
    entries = journal.filtered_entries(form)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    names = journal.related_names(list(page))
    rows = [
        {
            "entry": entry,
            "actor": journal.actor_of(entry),
            "what": journal.what_of(entry),
            "object_type": journal.object_type_of(entry),
            "changes": journal.changes_of(entry, names),
        }
        for entry in page
    ]
    query = request.GET.copy()
    query.pop("page", None)
    person = None
    if form.is_valid() and form.cleaned_data.get("personne_id"):
        person = Person.objects.filter(pk=form.cleaned_data["personne_id"]).first()
    ctx = {"form": form, "page": page, "rows": rows, "query": query.urlencode(), "person": person}
    return render(request, "schools/privacy/audit_log.html", ctx)


@require("privacy.audit")
def audit_log_export(request):
    form = journal.JournalFilterForm(request.GET)
    entries = journal.filtered_entries(form)
    content = "\ufeff" + csv_text(journal.csv_rows(entries))
    record_event(request, AuditEvent.EXPORT, label=_("Journal d'audit (CSV)"), detail=request.GET.urlencode()[:500])
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="journal-{stamp}.csv"'
    return response


@require("privacy.person_file")
def person_file_page(request, pk: int):
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    sections = person_file.person_file(person)
    return render(request, "schools/privacy/person_file.html", {"person": person, "sections": sections})


@require("privacy.person_file")
def person_file_export(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    content = person_file.person_file_zip(person, person_file.person_file(person))
    record_event(request, AuditEvent.EXPORT, person, people=[person.pk], label=_("Dossier de %s") % person.full_name)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dossier-{person.employee_number}.zip"'
    return response


@require("privacy.person_file")
def person_correct(request, pk: int):
    person = get_object_or_404(Person, pk=pk)
    initial = {"updated_at": person.updated_at.isoformat()}
    form = PersonCorrectionForm(request.POST or None, instance=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in PersonCorrectionForm.Meta.fields}
        try:
            services.person_correct(
                person=person, data=data, expected_updated_at=form.cleaned_data["updated_at"], by=request.user
            )
        except services.StaleEdit:
            form.add_error(None, _("La fiche a été modifiée entre-temps : rechargez la page et recommencez."))
        except IntegrityError:
            form.add_error(None, _("Ce matricule ou ce courriel appartient déjà à une autre personne."))
        else:
            messages.success(request, _("La fiche est corrigée ; la modification est inscrite au journal."))
            return redirect("privacy:person_file", pk=person.pk)
    return render(request, "schools/privacy/person_correct.html", {"person": person, "form": form})


@require("privacy.requests")
def request_list(request):
    requests_ = AccessRequest.objects.select_related("person").order_by("answered_on", "received_on", "pk")
    page = Paginator(requests_, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"request": r, "state": r.state(today)} for r in page]
    return render(request, "schools/privacy/request_list.html", {"page": page, "rows": rows})


@require("privacy.requests")
def request_create(request, person_pk: int):
    person = get_object_or_404(Person, pk=person_pk)
    form = AccessRequestForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.person = person
        services.access_request_save(request_obj=obj, expected_version=None, by=request.user)
        messages.success(request, _("La demande est enregistrée."))
        return redirect("privacy:request_list")
    return render(request, "schools/privacy/request_form.html", {"person": person, "form": form})


@require("privacy.requests")
def request_edit(request, pk: int):
    obj = get_object_or_404(AccessRequest.objects.select_related("person"), pk=pk)
    form = AccessRequestForm(request.POST or None, instance=obj, initial={"version": obj.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.access_request_save(
                request_obj=form.save(commit=False), expected_version=form.cleaned_data["version"], by=request.user
            )
        except services.StaleEdit:
            form.add_error(None, _("La demande a été modifiée entre-temps : rechargez la page et recommencez."))
        else:
            messages.success(request, _("La demande est enregistrée."))
            return redirect("privacy:request_list")
    ctx = {"person": obj.person, "form": form, "access_request": obj}
    return render(request, "schools/privacy/request_form.html", ctx)
