from django.apps import AppConfig


class GetResolvedConfig(AppConfig):
    name = "getresolved"
    verbose_name = "GetResolved"

    def ready(self):
        # Registers the OpenAPI extension for the API key scheme.
        from getresolved.api import schema  # noqa: F401
