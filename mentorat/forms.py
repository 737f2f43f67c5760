"""Form fields shared by the apps."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from mentorat.parsing import as_id


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of objects by id that refuses anything but ids before querying.

    Django's own field sends every posted value to `pk__in`: a 40-digit number
    there raises OverflowError on SQLite (a 500) instead of "not a valid value".
    """

    def _check_values(self, value):
        for pk in value:
            if as_id(pk) is None:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)
