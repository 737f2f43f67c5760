from __future__ import annotations

import io

from django import forms
from django.utils.translation import gettext_lazy as _

from schools import imports
from schools.models import SchoolYear


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
