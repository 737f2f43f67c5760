"""Editing the « qui fait quoi » referential in the browser: add, reword, reorder, retire (history kept)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from roles import referential as services
from roles.access import require
from roles.models import Actor, Responsibility, ResponsibilityChange


class ResponsibilityForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Responsabilité"), max_length=300)

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Écrivez la responsabilité."))
        return text


def _edit_url(anchor: str = "") -> str:
    return reverse("referential_edit") + (f"#{anchor}" if anchor else "")


def _actors():
    return Actor.objects.prefetch_related(
        Prefetch("responsibilities", queryset=Responsibility.objects.order_by("position", "pk"))
    )


def _edit_page(request, form=None, form_for: str = ""):
    """The editing page; a refused form is shown again at its place, with its French message and input."""
    actors = list(_actors())
    if form is not None:
        error = " ".join(form.errors.get("text", []))
        typed = form.data.get(f"{form_for}-text", "")
        for actor in actors:
            if form_for == f"add-{actor.pk}":
                actor.error, actor.typed = error, typed
            for responsibility in actor.responsibilities.all():
                if form_for == f"resp-{responsibility.pk}":
                    responsibility.error, responsibility.typed = error, typed
    return render(request, "roles/referential_edit.html", {"actors": actors})


@require("referential.edit")
def referential_edit(request):
    return _edit_page(request)


@require("referential.edit")
def referential_history(request):
    changes = ResponsibilityChange.objects.select_related("responsibility__actor", "by")[:500]
    return render(request, "roles/referential_history.html", {"changes": changes})


@require_POST
@require("referential.edit")
def responsibility_add(request, pk: int):
    actor = get_object_or_404(Actor, pk=pk)
    form = ResponsibilityForm(request.POST, prefix=f"add-{actor.pk}")
    if not form.is_valid():
        return _edit_page(request, form, f"add-{actor.pk}")
    responsibility = services.responsibility_add(actor=actor, text=form.cleaned_data["text"], by=request.user)
    messages.success(request, _("La responsabilité est ajoutée."))
    return redirect(_edit_url(f"resp-{responsibility.pk}"))


@require_POST
@require("referential.edit")
def responsibility_reword(request, pk: int):
    responsibility = get_object_or_404(Responsibility, pk=pk)
    form = ResponsibilityForm(request.POST, prefix=f"resp-{responsibility.pk}")
    if not form.is_valid():
        return _edit_page(request, form, f"resp-{responsibility.pk}")
    if services.responsibility_reword(responsibility=responsibility, text=form.cleaned_data["text"], by=request.user):
        messages.success(request, _("La responsabilité est reformulée."))
    return redirect(_edit_url(f"resp-{responsibility.pk}"))


@require_POST
@require("referential.edit")
def responsibility_move(request, pk: int):
    responsibility = get_object_or_404(Responsibility, pk=pk)
    services.responsibility_move(
        responsibility=responsibility, direction=request.POST.get("direction", ""), by=request.user
    )
    return redirect(_edit_url(f"resp-{responsibility.pk}"))


@require_POST
@require("referential.edit")
def responsibility_retire(request, pk: int):
    responsibility = get_object_or_404(Responsibility, pk=pk)
    restore = request.POST.get("restore") == "1"
    services.responsibility_retire(responsibility=responsibility, by=request.user, restore=restore)
    if restore:
        messages.success(request, _("La responsabilité est remise en place."))
    else:
        messages.success(request, _("La responsabilité est retirée du référentiel (elle reste dans l'historique)."))
    return redirect(_edit_url(f"resp-{responsibility.pk}"))
