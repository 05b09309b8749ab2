"""Settings for the test suite: the production settings with fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-secret-key-not-for-production")

from getresolved.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ANTHROPIC_API_KEY = None

# Tests run without `collectstatic`: static files come from the app directories,
# unhashed, and WhiteNoise looks them up on each request.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The live server in browser tests speaks plain HTTP.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
