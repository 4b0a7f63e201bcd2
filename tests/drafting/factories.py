"""Factories for drafts and everything in them, and scene builders for rounds and votes."""

import factory

from drafting import services
from drafting.markdown import render_markdown
from drafting.models import (
    Amendment,
    Clause,
    ClauseStatus,
    Comment,
    Draft,
    DraftMembership,
    Round,
    Section,
    Visibility,
    Vote,
)
from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    title = factory.Sequence(lambda n: f"Code of conduct {n}")
    slug = factory.Sequence(lambda n: f"code-of-conduct-{n}")
    summary = "A draft."
    visibility = Visibility.PUBLIC
    created_by = factory.SubFactory(UserFactory, is_superuser=True, is_staff=True)


class DraftMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DraftMembership

    draft = factory.SubFactory(DraftFactory)
    user = factory.SubFactory(UserFactory)
    role = "participant"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    draft = factory.SubFactory(DraftFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    position = factory.Sequence(lambda n: n + 1)


class ClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Clause

    section = factory.SubFactory(SectionFactory)
    draft = factory.LazyAttribute(lambda o: o.section.draft)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Norm {n}")
    text = "States should not knowingly allow their territory to be used for wrongful acts."
    text_html = factory.LazyAttribute(lambda o: render_markdown(o.text))
    status = ClauseStatus.AGREED
    version = 1


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    draft = factory.SubFactory(DraftFactory)
    title = factory.Sequence(lambda n: f"Reading {n}")
    phase = "open"
    created_by = factory.LazyAttribute(lambda o: o.draft.created_by)


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    clause = factory.SubFactory(ClauseFactory)
    round = factory.SubFactory(RoundFactory, draft=factory.SelfAttribute("..clause.draft"))
    kind = "modify"
    text = factory.Sequence(lambda n: f"States should cooperate, version {n}.")
    base_version = factory.LazyAttribute(lambda o: o.clause.version)
    base_text = factory.LazyAttribute(lambda o: o.clause.text)
    author = factory.SubFactory(UserFactory)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    author = factory.SubFactory(UserFactory)
    body = factory.Sequence(lambda n: f"Comment {n}")
    stance = "neutral"


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    voter = factory.SubFactory(UserFactory)
    # As a vote is cast: for the organization the voter's membership speaks for, as the round counts.
    organization = factory.LazyAttribute(
        lambda o: (
            getattr(o.voter.memberships.filter(status="verified").first(), "organization", None)
            or OrganizationFactory()
        )
    )
    stakeholder_group = factory.LazyAttribute(lambda o: o.organization.stakeholder_group)
    for_delegation = factory.LazyAttribute(lambda o: o.round.counting == "per_delegation")
    choice = "yes"


def make_voters(draft, **per_group):
    """Verified participants: ``make_voters(draft, government=3, industry=2)``."""
    voters = {}
    for group, n in per_group.items():
        voters[group] = []
        for _ in range(n):
            user = UserFactory()
            MembershipFactory(user=user, organization__stakeholder_group=group)
            DraftMembershipFactory(draft=draft, user=user, role="participant")
            voters[group].append(user)
    return voters


def propose(draft, clause, people, text="States should share threat information."):
    return services.clause_create(
        draft=draft, section_id=clause.section_id, title="Proposal", text=text, by=people["participant"]
    )


def cast(voters, item, pattern):
    """``pattern``: {group: "yyn a"} — one letter per voter: y(es), n(o), a(bstain), space = no vote."""
    kind = "clause_id" if isinstance(item, Clause) else "amendment_id"
    for group, letters in pattern.items():
        for voter, letter in zip(voters[group], letters, strict=False):
            if letter != " ":
                choice = {"y": "yes", "n": "no", "a": "abstain"}[letter]
                services.vote_cast(by=voter, choice=choice, **{kind: item.id})


def voting(round_, people):
    """Move an open round to voting, as its moderator."""
    return services.round_start_voting(round_id=round_.id, by=people["moderator"])


def show_tallies(round_):
    """Let ``round_`` show its tallies as votes come in (rounds hide them until close by default):
    for tests of what a preview or live results say."""
    Round.objects.filter(pk=round_.pk).update(hide_tallies_until_close=False)
    round_.hide_tallies_until_close = False
    return round_


def cosponsor_scene(draft, clause, round_, admin):
    """Brazil proposes a clause and an amendment in the open ``round_`` (ana; bea is her colleague);
    Kenya (kofi) and Open Net (nia) may co-sponsor; uma only claims to speak for Chile."""
    from accounts.models import Membership
    from tests.accounts.factories import MembershipFactory, OrganizationFactory, UserFactory

    def member(username, organization, status=Membership.Status.VERIFIED):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organization=organization, status=status)
        services.draft_member_set(draft=draft, user_id=user.id, role="participant", by=admin)
        return user

    brazil = OrganizationFactory(name="Brazil", stakeholder_group="government")
    found = {
        "ana": member("ana", brazil),
        "bea": member("bea", brazil),
        "kofi": member("kofi", OrganizationFactory(name="Kenya", stakeholder_group="government")),
        "nia": member("nia", OrganizationFactory(name="Open Net", stakeholder_group="civil_society")),
        "uma": member("uma", OrganizationFactory(name="Chile"), Membership.Status.PENDING),
        "round": round_,
    }
    found["proposal"] = services.clause_create(
        draft=draft,
        section_id=clause.section_id,
        title="Contact points",
        text="States should name one.",
        by=found["ana"],
    )
    found["amendment"] = services.amendment_submit(
        clause_id=clause.id, by=found["ana"], kind="modify", text=clause.text + " Promptly."
    )
    return found
