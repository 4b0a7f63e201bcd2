from .errors import DomainError


def add_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form, beside the field it concerns when there is one."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)
