"""Every change is saved with who made it and why (django-simple-history)."""


def save_with_history(obj, *, by, reason: str, **save_kwargs) -> None:
    """Save ``obj`` so that its history row names ``by`` and carries ``reason``."""
    if by is not None and getattr(by, "is_authenticated", False):
        obj._history_user = by
    obj._change_reason = reason
    obj.save(**save_kwargs)
