"""Content negotiation that always answers with the view's first renderer."""

from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation


class FirstRendererNegotiation(DefaultContentNegotiation):
    """Pick a renderer from Accept when one matches, else the view's first one.

    Every endpoint has one representation (JSON, or plain text for llms.txt),
    so a client whose Accept header names something else still gets it rather
    than a 406, which the API does not document.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except NotAcceptable:
            renderer = renderers[0]
            return renderer, renderer.media_type
