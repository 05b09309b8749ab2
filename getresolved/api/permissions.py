from rest_framework import exceptions, permissions


class HasValidApiKey(permissions.BasePermission):
    """Require a key of an active workspace; read-only keys may only read."""

    def has_permission(self, request, view):
        client = request.user
        if client is None or not getattr(client, "is_authenticated", False):
            raise exceptions.NotAuthenticated()
        if not client.workspace.is_active:
            raise exceptions.PermissionDenied("This workspace is disabled.")
        if request.method not in permissions.SAFE_METHODS and client.api_key.read_only:
            raise exceptions.PermissionDenied("This API key is read-only; use a read-write key for changes.")
        return True
