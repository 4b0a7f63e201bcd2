from django.contrib import admin
from django.urls import include, path, re_path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .health import health
from .languages import language_switch
from .pages import api_not_found

api_v1 = [
    path("", include("accounts.api.urls")),
    path("", include("drafting.api.urls")),
    path("", include("notifications.api.urls")),
    path("", include("live.api_urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("language/", language_switch, name="language-switch"),
    # The interface's words the scripts show (static/js), in the page's language.
    path("jsi18n/", JavaScriptCatalog.as_view(packages=["codeofconduct"]), name="javascript-catalog"),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^api/", api_not_found),
    path("accounts/", include("accounts.urls")),
    path("", include("live.urls")),
    path("", include("notifications.urls")),
    path("", include("drafting.urls")),
]

handler400 = "codeofconduct.pages.bad_request"
handler500 = "codeofconduct.pages.server_error"
