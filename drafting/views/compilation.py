"""A round's compilation of proposals, and its synoptic table, downloaded from its page."""

from codeofconduct.responses import attachment

from .. import selectors
from ..documents import compilation_formats


def round_compilation(request, round_id):
    """The file; an unknown round or format reaches the one error path for pages (404, 400)."""
    round_, _ = selectors.round_for(request.user, round_id)
    fmt = compilation_formats.format_choice(request.GET)
    return attachment(*compilation_formats.compilation_for_reader(request, round_, fmt))


def round_synoptic(request, round_id):
    """The synoptic table: per paragraph, the text, the proposals, their outcome and the revision."""
    round_, _ = selectors.round_for(request.user, round_id)
    fmt = compilation_formats.format_choice(request.GET, form="synoptic")
    return attachment(*compilation_formats.compilation_for_reader(request, round_, fmt, form="synoptic"))
