"""A round's compilation of proposals, downloaded from its page (PDF, DOCX, HTML, Markdown, JSON)."""

from codeofconduct.responses import attachment

from .. import selectors
from ..documents import compilation


def round_compilation(request, round_id):
    """The file; an unknown round or format reaches the one error path for pages (404, 400)."""
    round_, _ = selectors.round_for(request.user, round_id)
    fmt = compilation.format_choice(request.GET)
    return attachment(*compilation.compilation_for_reader(request, round_, fmt))
