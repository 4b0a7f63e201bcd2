"""ISO 3166-1 alpha-2 country codes, from pycountry's copy of the standard."""

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

COUNTRY_CHOICES = sorted(((c.alpha_2, c.name) for c in pycountry.countries), key=lambda pair: pair[1])
COUNTRY_CODES = frozenset(code for code, _ in COUNTRY_CHOICES)


def validate_country(value: str) -> None:
    if value not in COUNTRY_CODES:
        raise ValidationError(
            _("%(value)s is not an ISO 3166-1 alpha-2 country code (e.g. FR, KE, BR)."),
            params={"value": value},
            code="invalid_country",
        )
