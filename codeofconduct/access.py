"""Who may call the API at all; what they may then do is the rules' to say (``drafting/rules.py``)."""

from rest_framework.permissions import SAFE_METHODS, BasePermission


class ReadOrSignedIn(BasePermission):
    """Anyone reads; writing needs a signed-in person (else 401).

    A method the endpoint does not have is let through, so it is answered 405 for everyone, as
    API.md says, not 401 for the anonymous.
    """

    def has_permission(self, request, view):
        if request.method in SAFE_METHODS or not hasattr(view, request.method.lower()):
            return True
        return bool(request.user and request.user.is_authenticated)
