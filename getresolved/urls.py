from django.contrib import admin
from django.urls import include, path, re_path

from getresolved import views
from getresolved.api import views as api_views

api_v1 = [
    path("openapi.json", api_views.OpenApiView.as_view(), name="openapi"),
    path("llms.txt", api_views.LlmsTxtView.as_view(), name="llms-txt"),
    path("", include("workspaces.urls")),
    path("", include("issues.urls")),
    path("", include("conversations.urls")),
    path("", include("releases.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/docs/", api_views.SwaggerUiView.as_view(), name="swagger-ui"),
    path("api/redoc/", api_views.RedocView.as_view(), name="redoc"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Anything else under /api/ is a JSON 404, not Django's HTML page.
    re_path(r"^api/", api_views.not_found),
]

handler400 = "getresolved.api.views.bad_request"
handler403 = "getresolved.api.views.permission_denied"
handler404 = "getresolved.api.views.not_found"
handler500 = "getresolved.api.views.server_error"
