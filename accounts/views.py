from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from codeofconduct.errors import DomainError
from codeofconduct.forms import add_domain_error
from codeofconduct.inputs import local_address, whole_number
from codeofconduct.limits import RESET_BY_ADDRESS, RESET_BY_EMAIL, SIGNUP_BY_ADDRESS, TooManyRequests, client_address

from . import rules, services, tokens, twofactor
from .forms import SignUpForm, TimeZoneForm, TokenForm
from .models import Membership


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            SIGNUP_BY_ADDRESS.take(client_address(request))
            user = services.user_register(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                **form.organization_arguments(),
            )
        except TooManyRequests as exc:
            _refuse_on_form(form, exc)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            return render(request, "accounts/signup_done.html", {"email": user.pending_email})
    status = 429 if getattr(form, "throttled", False) else 400 if form.errors else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


def _refuse_on_form(form, exc: TooManyRequests):
    """Show a limit on the form, keeping what was typed."""
    if form._errors is None:  # not cleaned yet: cleaning would ask the limit again
        form._errors, form.cleaned_data = ErrorDict(), {}
    form.add_error(None, exc.message)
    form.throttled = True


def email_confirm(request, token):
    """The link a sign-up emails: a button confirms the address (a mail scanner's GET does not).
    It works once and signs nobody in: the person then logs in with their password (and, if they
    have become a moderator meanwhile, their second factor)."""
    error = None
    try:
        if request.method == "POST":
            services.email_confirm(token=token)
            messages.success(
                request,
                _(
                    "Your address is confirmed: log in with your user name and password. Your membership is "
                    "pending until an administrator verifies it."
                ),
            )
            return redirect("login")
        services.email_link_check(token)
    except DomainError as exc:
        error = exc.message
    return render(request, "accounts/email_confirm.html", {"error": error}, status=400 if error else 200)


class ThrottledLoginView(auth_views.LoginView):
    """The log-in page; the limits are checked where the password is (accounts/backends.py)."""

    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except TooManyRequests as exc:
            form = self.get_form()
            _refuse_on_form(form, exc)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """A new password keeps this session (Django's own) and ends every API token of the person."""

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The emailed reset link: it works once (Django's token holds the password it changes), expires
    after PASSWORD_RESET_TIMEOUT, signs nobody in, and the new password ends every API token."""

    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(user=form.user)
        return response


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Asking for a reset link is limited per address and per email; the answer is the same whether
    or not the address has an account (Django's view never says)."""

    def form_valid(self, form):
        try:
            RESET_BY_ADDRESS.take(client_address(self.request))
            RESET_BY_EMAIL.take(form.cleaned_data["email"].strip().casefold())
        except TooManyRequests as exc:
            _refuse_on_form(form, exc)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().form_valid(form)


@login_required
def profile(request):
    user = request.user
    form = TimeZoneForm(request.POST or None, initial={"time_zone": user.time_zone})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                zone = user.time_zone.replace("_", " ") or "UTC"
                messages.success(request, _("Times are now shown in %(zone)s.") % {"zone": zone})
                return redirect("profile")
        else:
            status = 400
    memberships = Membership.objects.filter(user=user).select_related("organization")
    roles = user.draft_memberships.select_related("draft")
    context = {"memberships": memberships, "roles": roles, "time_zone_form": form}
    return render(request, "accounts/profile.html", context, status=status)


@login_required
def api_tokens(request):
    """The person's API tokens: make one (its key shown once), see each one's name and expiry, revoke."""
    form = TokenForm(request.POST or None)
    status, issued = 200, None
    if request.method == "POST" and request.POST.get("action") == "revoke":
        try:
            tokens.token_revoke(user=request.user, token_id=whole_number(request.POST.get("token"), 0))
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The token is revoked: it signs nobody in any more."))
        return redirect("api-tokens")
    if request.method == "POST":
        if form.is_valid():
            try:
                token, key = tokens.token_issue(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                    second_factor_at=twofactor.session_confirmed_at(request),
                    session_key=request.session.session_key if form.cleaned_data["ends_at_sign_out"] else "",
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status_code
            else:
                issued, form = {"token": token, "key": key}, TokenForm()
        else:
            status = 400
    context = {"form": form, "issued": issued, "tokens": tokens.tokens_of(request.user)}
    return render(request, "accounts/api_tokens.html", context, status=status)


class PendingMembershipsView(UserPassesTestMixin, View):
    """Admins verify memberships here (the API does the same)."""

    def test_func(self):
        return rules.may_verify_memberships(self.request.user)

    def get(self, request):
        pending = (
            Membership.objects.filter(status=Membership.Status.PENDING, user__is_active=True)
            .select_related("user", "organization")
            .order_by("created_at")
        )
        return render(request, "accounts/pending_memberships.html", {"pending": pending})

    def post(self, request):
        try:
            membership = services.membership_verify(
                organization_id=whole_number(request.POST.get("organization"), 0),
                user_id=whole_number(request.POST.get("user"), 0),
                by=request.user,
            )
        except DomainError as exc:
            messages.error(request, getattr(exc, "message", _("Choose a membership to verify.")))
        else:
            messages.success(
                request,
                _("%(person)s is now a verified member of %(organization)s.")
                % {"person": membership.user, "organization": membership.organization},
            )
        return redirect("pending-memberships")


@login_required
def two_factor(request):
    """Set up the authenticator app (then see the recovery codes once), or confirm a code.

    Administrators and moderators are sent here before anything else (``twofactor.PrivilegedSessionMiddleware``).
    """
    user = request.user
    target = local_address(request.POST.get("next") or request.GET.get("next", ""), reverse("home"))
    setting_up = not twofactor.has_authenticator(user)
    verified = twofactor.second_factor_current(user, twofactor.session_confirmed_at(request))
    context = {"next": target, "setting_up": setting_up, "verified": verified, "error": None}
    status = 200
    if request.method == "POST" and request.POST.get("action") == "renew" and verified:
        context["codes"] = twofactor.recovery_codes_renew(user=user)
        return render(request, "accounts/two_factor_codes.html", context)
    if request.method == "POST":
        try:
            if setting_up:
                codes = twofactor.authenticator_confirm(user=user, code=request.POST.get("code", ""))
                device = twofactor.pending_authenticator_confirmed(user)
            else:
                codes, device = None, twofactor.code_check(user=user, code=request.POST.get("code", ""))
        except DomainError as exc:
            context["error"], status = exc.message, exc.status_code
        else:
            twofactor.session_confirm(request, device)
            if codes:
                return render(request, "accounts/two_factor_codes.html", {**context, "codes": codes})
            messages.success(request, _("Second factor confirmed."))
            return redirect(target)
    if setting_up:
        device = twofactor.pending_authenticator(user)
        context |= {"secret": twofactor.secret_of(device), "qr": twofactor.qr_data_uri(device)}
    context["recovery_left"] = twofactor.remaining_recovery_codes(user)
    return render(request, "accounts/two_factor.html", context, status=status)
