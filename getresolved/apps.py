from django.apps import AppConfig


class GetResolvedConfig(AppConfig):
    name = "getresolved"
    verbose_name = "GetResolved"

    def ready(self):
        from django.conf import settings

        # Registers the OpenAPI extension for the API key scheme.
        from getresolved.api import schema  # noqa: F401
        from getresolved.api.throttling import parse_rate

        # Fail at start-up, not on the first throttled request, when API_RATE_LIMIT is malformed.
        parse_rate(settings.API_RATE_LIMIT)
