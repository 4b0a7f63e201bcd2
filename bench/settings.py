"""The platform as production serves it, plus the benchmark's baseline views (bench/views.py).

Only ``bench/run.py`` serves with these settings; nothing else in the product imports them.
"""

from codeofconduct.settings.production import *  # noqa: F401,F403
from codeofconduct.settings.production import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
# First, so it counts every query a request makes, the middleware's own included.
MIDDLEWARE = ["bench.views.QueryCountMiddleware", *MIDDLEWARE]
