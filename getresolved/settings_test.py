"""Settings for the test suite: the production settings with fast hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-secret-key-not-for-production")

from getresolved.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ANTHROPIC_API_KEY = None
