"""The consolidated draft in the formats negotiators use: md, html, pdf, docx, json, akn."""

from .document import ExportDocument, build
from .render import FORMATS, render

__all__ = ["FORMATS", "ExportDocument", "build", "render"]
