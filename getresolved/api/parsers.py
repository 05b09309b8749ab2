from rest_framework import exceptions, parsers


class JsonObjectParser(parsers.JSONParser):
    """Parse JSON and require the top-level value to be an object."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except exceptions.ParseError:
            raise exceptions.ParseError("The request body is not valid JSON.") from None
        except RecursionError:
            # The json module recurses once per nesting level and gives up near
            # the interpreter's recursion limit (about 1000 levels by default).
            raise exceptions.ParseError("The request body is nested too deeply.") from None
        if not isinstance(data, dict):
            raise exceptions.ParseError("The request body must be a JSON object.")
        return data
