"""Load the zero draft, organizations of all four stakeholder groups and a person for each role.

Safe to run again: what exists already is left as it is.
"""

import secrets
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Organization, User
from codeofconduct.errors import DomainError
from drafting import demo, services
from drafting.models import ClauseStatus, Draft, SectionKind, Visibility, VotingRule


class Command(BaseCommand):
    help = "Load a realistic zero draft with organizations and one person for each role."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password for every demo person (default: a fresh random one each).")

    def handle(self, *args, **options):
        try:
            self.load(options)
        except DomainError as exc:  # e.g. a --password the password rules refuse
            raise CommandError(exc.message) from exc

    @transaction.atomic
    def load(self, options):
        if Draft.objects.filter(title=demo.TITLE).exists():
            self.stdout.write("The demo draft is loaded already.")
            if options["password"]:
                # Make the printed passwords true, whatever an earlier run set.
                for user in User.objects.filter(username__in=[u for u, _, _ in demo.PEOPLE]):
                    account_services.password_set(user=user, password=options["password"])
                self._print_people([(u, r, options["password"]) for u, r, _ in demo.PEOPLE])
            return
        organizations = [
            Organization.objects.filter(name=name).first()
            or account_services.organization_create(name=name, stakeholder_group=group, country=country)
            for name, group, country in demo.ORGANIZATIONS
        ]
        people = {}
        credentials = []
        for username, role, org_index in demo.PEOPLE:
            password = options["password"] or secrets.token_urlsafe(9)
            user = User.objects.filter(username=username).first()
            email = f"{username}@example.org"
            if user is None and org_index is None:
                user = account_services.administrator_create(username=username, email=email, password=password)
                credentials.append((username, role, password))
            elif user is None:
                user = account_services.user_register(
                    username=username,
                    email=email,
                    password=password,
                    organization_id=organizations[org_index].pk,
                    confirmed=True,
                )
                credentials.append((username, role, password))
            people[username] = user

        admin = people["admin"]
        draft = services.draft_create(title=demo.TITLE, summary=demo.SUMMARY, visibility=Visibility.PUBLIC, by=admin)
        services.draft_update(draft=draft, by=admin, symbol=demo.SYMBOL, issuing_body=demo.ISSUING_BODY)
        for username, role, org_index in demo.PEOPLE:
            if role != "admin":
                services.draft_member_set(draft=draft, user_id=people[username].pk, role=role, by=admin)
            # Verified once they have their role, so the notice tells them what it lets them do there.
            # All demo people are verified except the observer, so the admin has one to verify.
            if org_index is not None and role != "observer":
                account_services.membership_verify(
                    organization_id=organizations[org_index].pk, user_id=people[username].pk, by=admin
                )
        moderator = people["moderator"]
        for section_title, clauses in demo.SECTIONS:
            kind = SectionKind.PREAMBLE if section_title in demo.PREAMBLE_SECTIONS else SectionKind.OPERATIVE
            section = services.section_create(draft=draft, title=section_title, kind=kind, by=moderator)
            for title, status, text in clauses:
                services.clause_create(
                    draft=draft,
                    section_id=section.pk,
                    title=title,
                    text=text,
                    rationale=demo.RATIONALE.get(title, ""),
                    status=ClauseStatus(status),
                    by=moderator,
                )

        # An open first reading whose voting and close are scheduled, so the schedule has work to do.
        now = timezone.now().replace(second=0, microsecond=0)
        first_reading = services.round_create(
            draft=draft,
            by=moderator,
            title="First reading",
            voting_rule=VotingRule.MULTISTAKEHOLDER,
            quorum=2,
            voting_opens_at=now + timedelta(days=5),
            closes_at=now + timedelta(days=7),
        )
        services.round_open(round_id=first_reading.id, by=moderator)

        self.stdout.write(self.style.SUCCESS(f"Loaded “{draft.title}” at /drafts/{draft.slug}/"))
        self._print_people(credentials)

    def _print_people(self, credentials):
        if credentials:
            self.stdout.write("Log in as (user name / role / password):")
            for username, role, password in credentials:
                self.stdout.write(f"  {username:22} {role:12} {password}")
