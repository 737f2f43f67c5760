from __future__ import annotations

import io
import re

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from schools import imports
from schools.models import School, SchoolYear


class ImportForm(forms.Form):
    """HR's upload: which list, for which year, and the file (checked as a whole here, row by row in the preview)."""

    kind = forms.ChoiceField(
        label=_("Liste à importer"),
        choices=imports.ImportKind.choices,
        widget=forms.RadioSelect,
        initial=imports.ImportKind.STAFF,
    )
    year = forms.ModelChoiceField(label=_("Année scolaire"), queryset=SchoolYear.objects.all(), empty_label=None)
    # An empty file gets the message naming the missing columns rather than Django's "empty file".
    file = forms.FileField(
        label=_("Fichier"),
        allow_empty_file=True,
        help_text=_(
            "CSV (séparateur virgule ou point-virgule) ou Excel .xlsx ; la première ligne donne les noms des colonnes."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, kinds=imports.STAFF_KINDS, **kwargs):
        super().__init__(*args, **kwargs)
        if "year" not in self.initial:
            self.fields["year"].initial = SchoolYear.objects.current()
        self.fields["kind"].choices = [(kind.value, kind.label) for kind in kinds]
        self.fields["kind"].initial = kinds[0]
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        upload, kind = cleaned.get("file"), cleaned.get("kind")
        if upload is None or not kind:
            return cleaned
        if upload.size > imports.MAX_UPLOAD_BYTES:
            self.add_error("file", _("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers."))
            return cleaned
        content = upload.read()
        try:
            rows = imports.parse_file(io.BytesIO(content), upload.name)
            imports.check_columns(rows, kind)
        except imports.FileRejected as error:
            self.add_error("file", str(error))
        else:
            cleaned["content"] = imports.dump_rows(rows)  # parsed once: the preview and confirmation read this
        return cleaned


# --- Choosing a school among many (2 000 in a large centre) ---
#
# A <select> is the easiest control when the schools are few (a director's own school, the demo);
# above SCHOOL_SELECT_MAX options it becomes a text box where one types a name or a code, with
# suggestions (<datalist>) that static/js/mentorat.js fetches from schools:school_suggestions as
# one types. Without JavaScript the box still works: the server reads what was typed.

SCHOOL_LABEL = re.compile(r"^(?P<name>.+?)\s*\((?P<code>[^()]+)\)$")


def school_select_max() -> int:
    return getattr(settings, "SCHOOL_SELECT_MAX", 30)


def school_label(school: School) -> str:
    """How a school reads in a suggestion, and what the box shows once picked: « name (code) »."""
    return f"{school.name} ({school.code})"


def _exact(schools: QuerySet, text: str) -> QuerySet:
    """Schools whose code is exactly the text (or the code of a « name (code) » label), else whose id it is.

    The id is what a short <select> sends; a code made of digits wins over an id that happens to be equal.
    """
    labelled = SCHOOL_LABEL.match(text)
    exact = Q(code__iexact=text)
    if labelled:
        exact |= Q(code__iexact=labelled["code"].strip())
    by_code = schools.filter(exact)
    if text.isascii() and text.isdigit() and len(text) < 10 and not by_code.exists():
        return schools.filter(pk=int(text))
    return by_code


class SchoolWidget(forms.Widget):
    """A <select> of the schools when they are few, else a search box with suggestions."""

    template_name = "schools/widgets/school.html"

    def __init__(self, attrs=None, *, input_type: str = "text", empty_label=None):
        super().__init__(attrs)
        self.input_type = input_type
        self.empty_label = empty_label
        self.schools = School.objects.none()
        self._few: list[School] | None = None

    def format_value(self, value):
        if isinstance(value, School):
            return school_label(value)
        if isinstance(value, int):  # an initial value (a ModelForm's instance): show its label, not its id
            known = {school.pk: school for school in self._few or []}
            school = known.get(value) or self.schools.filter(pk=value).only("name", "code").first()
            return school_label(school) if school else ""
        return "" if value is None else str(value)

    def get_context(self, name, value, attrs):
        limit = school_select_max()
        few = self._few = list(self.schools.order_by("name", "code").only("pk", "name", "code")[: limit + 1])
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["input_type"] = self.input_type
        widget["options"] = None
        if len(few) <= limit:
            chosen = "" if value is None else str(value.pk if isinstance(value, School) else value).strip().lower()
            widget["options"] = [("", self.empty_label, chosen == "")] if self.empty_label is not None else []
            widget["options"] += [
                (
                    school.pk,
                    school_label(school),
                    chosen in (str(school.pk), school.code.lower(), school_label(school).lower()),
                )
                for school in few
            ]
            css = widget["attrs"].get("class", "")
            widget["attrs"]["class"] = css.replace("form-control", "form-select")
        else:
            widget["suggest_url"] = reverse("schools:school_suggestions")
            widget["attrs"].setdefault("placeholder", _("Nom ou code de l'école"))
        return context


class _SchoolField(forms.Field):
    def __init__(self, *, queryset: QuerySet | None = None, input_type: str = "text", empty_label=None, **kwargs):
        kwargs.setdefault("widget", SchoolWidget(input_type=input_type, empty_label=empty_label))
        super().__init__(**kwargs)
        self.queryset = School.objects.all() if queryset is None else queryset

    @property
    def queryset(self) -> QuerySet:
        return self._queryset

    @queryset.setter
    def queryset(self, queryset: QuerySet) -> None:
        self._queryset = queryset
        self.widget.schools = queryset

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.queryset = self._queryset.all()
        return result

    def to_python(self, value):
        return "" if value in self.empty_values else str(value).strip()[:200]


class SchoolSearchField(_SchoolField):
    """A filter on schools: cleans to the matching schools among `queryset` (a subquery), or None when empty.

    An exact code (or id, as a <select> sends it) picks that school; otherwise the text matches the start
    of codes and any part of names. Only schools of `queryset` can match: a director's filter is held to
    their schools whatever is typed.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("École (nom ou code)"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("input_type", "search")
        kwargs.setdefault("empty_label", _("Toutes les écoles"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        exact = _exact(self.queryset, text)
        if exact.exists():
            return exact.values("pk")
        return self.queryset.filter(Q(code__istartswith=text) | Q(name__icontains=text)).values("pk")


class SchoolChoiceField(_SchoolField):
    """Exactly one school of `queryset`, typed as its code or its exact name (or picked from a short <select>)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("École"))
        kwargs.setdefault("empty_label", "---------")
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return None
        return find_school(self.queryset, text)


def find_school(schools: QuerySet, text: str) -> School:
    """The one school of `schools` the text names (code, exact name or « name (code) »), else a French error."""
    exact = list(_exact(schools, text)[:2])
    if len(exact) == 1:
        return exact[0]
    named = list(schools.filter(name__iexact=text)[:2])
    if len(named) == 1:
        return named[0]
    near = named or exact or list(schools.filter(Q(name__icontains=text) | Q(code__istartswith=text))[:2])
    if len(near) > 1:
        raise forms.ValidationError(
            _("Plusieurs écoles correspondent à « %(value)s » : précisez le code."),
            code="ambiguous",
            params={"value": text},
        )
    if near:
        raise forms.ValidationError(
            _("Aucune école ne correspond exactement à « %(value)s » : vouliez-vous dire « %(school)s » ?"),
            code="inexact",
            params={"value": text, "school": school_label(near[0])},
        )
    raise forms.ValidationError(
        _("Aucune école ne correspond à « %(value)s »."), code="unknown", params={"value": text}
    )


class SchoolFilterForm(forms.Form):
    """A page's school filter alone (?ecole=…), for pages whose other filters are read by hand.

    `one`: the page shows one school at a time (a survey's results), so the text must name exactly one;
    `everyone`: the filter may be left empty for every school of `schools`.
    """

    ecole = SchoolSearchField()

    def __init__(self, *args, schools: QuerySet, one: bool = False, everyone: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if one:
            self.fields["ecole"] = SchoolChoiceField(
                required=False, input_type="search", empty_label=_("Toutes les écoles") if everyone else None
            )
            self.fields["ecole"].widget.attrs["class"] = "form-control form-control-sm"
        self.fields["ecole"].queryset = schools
