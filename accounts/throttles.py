from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle


class LoginRateThrottle(SimpleRateThrottle):
    """Throttles log-in attempts per client address and per user name, pages and API alike."""

    scope = "login"

    def get_rate(self):
        return settings.LOGIN_THROTTLE_RATE

    def get_cache_key(self, request, view):
        username = ""
        if hasattr(request, "data"):
            username = str(request.data.get("username", ""))[:150].lower()
        else:
            username = str(request.POST.get("username", ""))[:150].lower()
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{username}"}


class RegisterRateThrottle(SimpleRateThrottle):
    scope = "register"

    def get_rate(self):
        return settings.REGISTER_THROTTLE_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
