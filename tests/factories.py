import factory

from accounts.models import Membership, Organization, StakeholderGroup, User
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
from notifications.models import Event, Notification, Subscription

PASSWORD = "a-long-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    stakeholder_group = StakeholderGroup.GOVERNMENT
    country = "FR"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = Membership.Status.VERIFIED


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
    organization = factory.SubFactory(OrganizationFactory)
    stakeholder_group = factory.LazyAttribute(lambda o: o.organization.stakeholder_group)
    choice = "yes"


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = "comment_posted"
    message = factory.Sequence(lambda n: f"Something happened ({n}).")
    url = "/"


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = factory.SubFactory(EventFactory)
    kind = factory.LazyAttribute(lambda o: o.event.kind)
    message = factory.LazyAttribute(lambda o: o.event.message)
    url = "/"
    email_status = "sent"


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
