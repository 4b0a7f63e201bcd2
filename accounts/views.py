from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.shortcuts import redirect, render
from django.views import View

from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error
from drafting.models import DraftMembership

from . import rules, services
from .forms import SignUpForm
from .models import Membership
from .throttles import LoginRateThrottle


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_register(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                **form.organization_arguments(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, "Welcome! Your membership is pending until an administrator verifies it.")
            return redirect("profile")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


class ThrottledLoginView(auth_views.LoginView):
    """The log-in page, throttled with the same limits as the API token endpoint."""

    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        throttle = LoginRateThrottle()
        if not throttle.allow_request(request, self):
            form = self.get_form()
            form.is_valid()
            form.errors.clear()
            form.add_error(None, "Too many log-in attempts. Wait a minute and try again.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)


@login_required
def profile(request):
    user = request.user
    memberships = Membership.objects.filter(user=user).select_related("organization")
    roles = DraftMembership.objects.filter(user=user).select_related("draft")
    return render(request, "accounts/profile.html", {"memberships": memberships, "roles": roles})


class PendingMembershipsView(UserPassesTestMixin, View):
    """Admins verify memberships here (the API does the same)."""

    def test_func(self):
        return rules.may_verify_memberships(self.request.user)

    def get(self, request):
        pending = (
            Membership.objects.filter(status=Membership.Status.PENDING)
            .select_related("user", "organization")
            .order_by("created_at")
        )
        return render(request, "accounts/pending_memberships.html", {"pending": pending})

    def post(self, request):
        try:
            membership = services.membership_verify(
                organization_id=int(request.POST.get("organization", 0)),
                user_id=int(request.POST.get("user", 0)),
                by=request.user,
            )
        except (DomainError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", "Choose a membership to verify."))
        else:
            messages.success(request, f"{membership.user} is now a verified member of {membership.organization}.")
        return redirect("pending-memberships")
