from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS
from simple_history.models import HistoricalRecords

from codeofconduct.history import HistoryManager

from .countries import COUNTRY_CHOICES, validate_country


class StakeholderGroup(models.TextChoices):
    GOVERNMENT = "government", "Government"
    INDUSTRY = "industry", "Industry"
    ACADEMIA = "academia", "Academia"
    CIVIL_SOCIETY = "civil_society", "Civil society"


class EmailPreference(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DAILY = "daily", "A daily digest"
    OFF = "off", "Never"


class User(AbstractUser):
    """A person on the platform. Custom from the first migration so it can grow without pain."""

    # A confirmed address (unique; empty until the person opens the link sent to ``pending_email``).
    email = models.EmailField("email address", unique=True, null=True, blank=True)
    pending_email = models.EmailField("address to confirm", blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    email_preference = models.CharField(
        max_length=10, choices=EmailPreference.choices, default=EmailPreference.IMMEDIATE
    )
    # An IANA zone ("Europe/Zurich"); blank shows times in UTC. Pages show every time with its zone.
    time_zone = models.CharField(max_length=64, blank=True)
    # The interface language the person chose (a code of settings.LANGUAGES: "ar", "zh-hans", ...);
    # blank follows their browser. Their emails and notifications are written in it too.
    language = models.CharField(max_length=8, blank=True)
    # When the person last became an administrator or a moderator: a credential counts for what they
    # may do as such only if its second factor was confirmed at or after this (accounts/twofactor.py).
    privileged_since = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [models.UniqueConstraint(Lower("username"), name="username_unique_ignoring_case")]

    def save(self, *args, **kwargs):
        # No address is NULL, not "": the column is unique, yet many people may have none (a person
        # an administrator adds in the admin, whose form has no address, once met a 500 here).
        if not self.email:
            self.email = None
        super().save(*args, **kwargs)


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    # The name as delegates read it (accounts.identity.organization_name_key): unique, so no two
    # organizations differ only by a look-alike letter, case, spacing or punctuation.
    name_key = models.CharField(max_length=200, unique=True, editable=False)
    stakeholder_group = models.CharField(max_length=20, choices=StakeholderGroup.choices)
    country = models.CharField(max_length=2, choices=COUNTRY_CHOICES, validators=[validate_country])
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from .identity import organization_name_key

        self.name_key = organization_name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)


class Membership(models.Model):
    """A person's membership of an organization; it speaks for its group only once verified."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        VERIFIED = "verified", "Verified"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(history_manager=HistoryManager)

    class Meta:
        ordering = ["organization__name"]
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_organization")]

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.status})"


class ApiToken(AbstractAuthToken):
    """An API token (django-rest-knox): only a hash of the key is kept, so a copy of the database
    signs nobody in. It records how it was issued, and each request checks it again
    (``accounts.authentication``): its expiry, the password it was issued under, and for an
    administrator or moderator a second factor confirmed since they became one.
    """

    # knox keys its table by the hash; an ordinary id lets a person name a token to revoke it
    # without the hash ever leaving the server.
    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True)
    name = models.CharField(max_length=100)
    # The moment the person confirmed a second factor for this token; empty if they gave none.
    second_factor_at = models.DateTimeField(null=True, blank=True)
    # The person's session-auth hash (an HMAC of their password hash) when it was issued: a new
    # password, by any path, ends every token issued under the old one.
    auth_hash = models.CharField(max_length=128)
    # A token made on a signed-in page to end with that session; blank for one that outlives it.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.user})"
