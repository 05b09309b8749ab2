"""Content negotiation that serves each view's single format, ignoring the Accept header."""

from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation


class SingleFormatNegotiation(BaseContentNegotiation):
    """Pick the view's first renderer and ignore the Accept header.

    Every view renders exactly one format (JSON, or plain text for llms.txt),
    so a 406 would only turn away clients that send a broad or unusual Accept,
    such as `Accept: application/json` for llms.txt. Request bodies are still
    parsed by Content-Type, and an unsupported one is a 415.
    """

    def select_parser(self, request, parsers):
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type
