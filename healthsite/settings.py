"""Settings for healthsite, read from the environment (see .env.example and the README)."""

from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        # Production fails fast rather than run with a guessable key.
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development).")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])

# The absolute address of the site, used for canonical URLs and citations.
SITE_URL = (env.str("SITE_URL", default="") or "http://127.0.0.1:8000").rstrip("/")
# The publisher named in citations ("... Baclofen in PTSD Treatment, HealthyPlace. ...").
SITE_NAME = env.str("SITE_NAME", default="") or "HealthyPlace"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_prose_editor",
    "mptt",
    "csp",
    "reversion",
    "healthsite",
    "authors",
    "articles",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages rendered for one reader, compressed per request; a shared page comes compressed from the
    # page cache (healthsite/cdn.py), and static files from whitenoise, which this never sees.
    "django.middleware.gzip.GZipMiddleware",
    "healthsite.middleware.refuse_nul_characters",
    "healthsite.fastpath.PageCacheFastPathMiddleware",  # a cached page's hit, before sessions and the view
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so it sees the 404 a view answers: imported articles' old addresses answer 301.
    "articles.redirects.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "healthsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "healthsite.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "healthsite.wsgi.application"

DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        # Wait for a competing writer instead of failing at once with "database is locked", and
        # take the write lock when a transaction begins, so two writers never deadlock mid-way.
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # Write-ahead log: readers never wait for the writer, and a commit costs no full fsync.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    })
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache(url: str) -> dict:
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {
            "BACKEND": "healthsite.cache.ResilientRedisCache",
            "LOCATION": url,
            # Fail fast when Redis is down: a page waits at most this long for it.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    return env.cache_url_config(url) if url else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
CACHES = {
    # Rate limits and login lockouts (healthsite/counters.py).
    "default": _cache(_cache_url),
    # Cached article pages, apart, so no amount of page churn can evict a counter or a session:
    # the shared cache under a key prefix of their own unless PAGE_CACHE_URL names another.
    "pages": {**_cache(env.str("PAGE_CACHE_URL", default="") or _cache_url), "KEY_PREFIX": "pages"},
}
# Pages the local-memory page cache holds at most (per process); on Redis, pages expire after PAGE_CACHE_SECONDS.
PAGE_CACHE_MAX_ENTRIES = env.int("PAGE_CACHE_MAX_ENTRIES", default=500)
if CACHES["pages"]["BACKEND"].endswith("LocMemCache"):
    # A store of its own (a LOCATION apart from the default's), bounded.
    CACHES["pages"].update(LOCATION="pages", OPTIONS={"MAX_ENTRIES": PAGE_CACHE_MAX_ENTRIES})

_email_url = env.str("EMAIL_URL", default="")
if _email_url:
    vars().update(env.email_url_config(_email_url))
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="healthsite <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A mail server that stops answering fails the send after this many seconds (it is tried again later).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
# The outbox (healthsite/outbox.py): a sender holds a message this long while it sends (more than
# EMAIL_TIMEOUT: a sender that dies leaves it to the sweep after that); a failed try waits
# OUTBOX_RETRY_SECONDS, twice that after the next, ...; after OUTBOX_MAX_ATTEMPTS tries it stays unsent
# (reported by /healthz) for someone to look at.
OUTBOX_LEASE_SECONDS = env.int("OUTBOX_LEASE_SECONDS", default=300)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="") or "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default="") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default="") or BASE_DIR / "media")


def s3_storage(bucket: str, *, endpoint_url=None, region_name=None, custom_domain=None, url_protocol=None,
               addressing_style=None, default_acl=None) -> tuple[dict, str]:
    """Return the STORAGES entry of django-storages' S3 backend for `bucket`, and the MEDIA_URL its files have."""
    options = {
        "bucket_name": bucket, "endpoint_url": endpoint_url or None, "region_name": region_name or None,
        "custom_domain": custom_domain or None, "url_protocol": url_protocol or "https:",
        # S3-compatible servers (MinIO, Ceph, a local test server) address buckets by path; AWS as botocore picks.
        "addressing_style": addressing_style or ("path" if endpoint_url else None),
        # Pages link to the files themselves: readable by anyone (a bucket policy), no signed, expiring URLs.
        "querystring_auth": False,
        "default_acl": default_acl or None,
        # As on the file system: a name in use gets a new one, never overwrites another image.
        "file_overwrite": False,
        # Each upload has a name of its own and its renditions are named by it, so they may be kept long.
        "object_parameters": {"CacheControl": "public, max-age=604800"},
    }
    # Where the storage's files are, as the storage writes their addresses (botocore's rules, offline):
    # pages' <img>, the article allowlist (healthsite/sanitize.py) and the Content-Security-Policy use it.
    storage = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    if options["custom_domain"]:
        return storage, f"{options['url_protocol']}//{options['custom_domain']}/"
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    probe = boto3.session.Session().client(
        "s3", endpoint_url=options["endpoint_url"], region_name=options["region_name"],
        config=Config(signature_version=UNSIGNED, s3={"addressing_style": options["addressing_style"]}),
    ).generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "-"})
    return storage, probe[:-1]


# Uploaded images go to S3-compatible object storage when a bucket is named (django-storages), so every
# web server and worker sees the same files; otherwise to MEDIA_ROOT. Credentials come from the
# environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or the machine's role), read by boto3.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _default_storage, MEDIA_URL = s3_storage(
        env.str("AWS_STORAGE_BUCKET_NAME"), endpoint_url=env.str("AWS_S3_ENDPOINT_URL", default=""),
        region_name=env.str("AWS_S3_REGION_NAME", default=""), custom_domain=env.str("AWS_S3_CUSTOM_DOMAIN", default=""),
        url_protocol=env.str("AWS_S3_URL_PROTOCOL", default=""),
        addressing_style=env.str("AWS_S3_ADDRESSING_STYLE", default=""), default_acl=env.str("AWS_DEFAULT_ACL", default=""),
    )
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "admin:login"
# Proxies in front of the site that append the address they saw to X-Forwarded-For (a CDN and a load
# balancer: 2). The client's address is read that many entries from the right (healthsite/clientip.py);
# 0 ignores the header, which any client can send.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Failed logins (the admin's and the readers') allowed per address before it must wait LOGIN_LOCKOUT_SECONDS.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=15 * 60)

# --- Reader accounts (django-allauth), earned trust, staff two-factor authentication -------------
# Readers sign up, log in (by email or username; staff keep their usernames), confirm their email
# address, reset their password and manage their profile at /accounts/. The adapter, the forms, the
# profile pages and the 2FA middleware live in the comments app (comments/accounts.py, profile.py).
INSTALLED_APPS += ["allauth", "allauth.account", "allauth.mfa"]
MIDDLEWARE[MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware") + 1:0] = [
    "allauth.account.middleware.AccountMiddleware",
    # Staff who have not enrolled in two-factor authentication stay out of /admin/ and /moderation/.
    "comments.accounts.StaffTwoFactorMiddleware",
]
# The reader's name in the header ("Jordan R.", "Log out").
TEMPLATES[0]["OPTIONS"]["context_processors"].append("comments.accounts.context")
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",  # the admin's login form
    "allauth.account.auth_backends.AuthenticationBackend",  # login by email or username
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/accounts/profile/"
ACCOUNT_ADAPTER = "comments.accounts.AccountAdapter"  # its get_client_ip is healthsite/clientip.py's
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_FORMS = {
    "login": "comments.accounts.LoginForm",
    "signup": "comments.accounts.SignupForm",
    "reset_password": "comments.accounts.ResetPasswordForm",
}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_USER_DISPLAY = "comments.models.display_name"  # the reader's name in allauth's pages and mail
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]  # and the display name (comments.accounts)
# Until the address is confirmed through the emailed link, the account cannot log in.
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up, login and reset answer alike whether or not an account has the address; the mail says which.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # the link opens a page with a button (mail scanners follow links)
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_GET = False  # logging out is a POST (a link cannot log anyone out)
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# allauth's own limits (held in the "default" cache, beside sessions and counters, never beside the
# pages); the site's atomic counters below come first and hold across processes.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/180s/key",
}
# Per account, failed logins allowed before the account must wait LOGIN_LOCKOUT_SECONDS (per address: LOGIN_FAILURE_LIMIT).
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = env.int("LOGIN_FAILURE_LIMIT_PER_ACCOUNT", default=10)
# Sign-ups and password-reset requests taken in an hour from one address and for one email address.
ACCOUNTS_SIGNUPS_PER_HOUR_PER_IP = env.int("ACCOUNTS_SIGNUPS_PER_HOUR_PER_IP", default=10)
ACCOUNTS_SIGNUPS_PER_HOUR_PER_EMAIL = env.int("ACCOUNTS_SIGNUPS_PER_HOUR_PER_EMAIL", default=3)
ACCOUNTS_RESETS_PER_HOUR_PER_IP = env.int("ACCOUNTS_RESETS_PER_HOUR_PER_IP", default=10)
ACCOUNTS_RESETS_PER_HOUR_PER_EMAIL = env.int("ACCOUNTS_RESETS_PER_HOUR_PER_EMAIL", default=3)
# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) and recovery codes.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# On: staff cannot open the admin or /moderation/ before enrolling, and log in at /accounts/login/.
STAFF_REQUIRE_2FA = env.bool("STAFF_REQUIRE_2FA", default=False)
# Anonymous readers may comment (their comments wait for a moderator). Off: only readers with an account.
COMMENTS_ALLOW_ANONYMOUS = env.bool("COMMENTS_ALLOW_ANONYMOUS", default=True)
# Earned trust: a verified reader with this many approved comments and no rejected or spam one in
# the window is published at once (more than COMMENTS_MAX_LINKS_WITHOUT_APPROVAL links still waits).
COMMENTS_TRUST_AFTER_APPROVED = env.int("COMMENTS_TRUST_AFTER_APPROVED", default=3)
COMMENTS_TRUST_WINDOW_DAYS = env.int("COMMENTS_TRUST_WINDOW_DAYS", default=90)
# --- end of reader accounts ------------------------------------------------------------------------

# Production hardening: behind HTTPS unless DEBUG is on.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain http
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script of ours reads it; forms carry the token
# The site's 403 for a failed check, never Django's debug text; the comment form answers an expired
# session itself, with the reader's text kept (healthsite/views.py).
CSRF_FAILURE_VIEW = "healthsite.views.csrf_failure"
# Content-Security-Policy (django-csp): scripts only from the site itself, or inline with the
# request's nonce (the admin editor's import map); nothing inline for styles but attributes the
# admin's own widgets set; no plugins, no framing. Images may come from the media storage's origin and CSP_IMG_HOSTS.
_media_origin = ["/".join(MEDIA_URL.split("/")[:3])] if MEDIA_URL.startswith(("http://", "https://")) else []
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", *_media_origin, *env.list("CSP_IMG_HOSTS", default=[])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
X_FRAME_OPTIONS = "DENY"

# Comments (SPEC "Comment rules").
COMMENTS_MAX_LENGTH = 5000
COMMENTS_MAX_DEPTH = env.int("COMMENTS_MAX_DEPTH", default=5)
COMMENTS_THREADS_PER_PAGE = env.int("COMMENTS_THREADS_PER_PAGE", default=50)
# Links above which even a trusted poster's comment waits for a moderator.
COMMENTS_MAX_LINKS_WITHOUT_APPROVAL = 2
# A post sooner than this after the form was served, or later, is refused (signed form timestamp).
COMMENTS_MIN_SECONDS = env.int("COMMENTS_MIN_SECONDS", default=3)
COMMENTS_MAX_FORM_AGE = env.int("COMMENTS_MAX_FORM_AGE", default=2 * 24 * 3600)
# Per-IP limits held in the cache: (window in seconds, posts allowed in it).
COMMENTS_RATE_LIMITS = [(60, env.int("COMMENTS_RATE_PER_MINUTE", default=5)),
                        (3600, env.int("COMMENTS_RATE_PER_HOUR", default=30))]
COMMENTS_DUPLICATE_WINDOW = 10 * 60
# Comments close by themselves this many days after publication (0: never).
COMMENTS_CLOSE_AFTER_DAYS = env.int("COMMENTS_CLOSE_AFTER_DAYS", default=0)
# Weight of reports that sends an approved comment back to moderation (comments/moderation.py):
# an anonymous report weighs 1 (once per address), a signed-in reader's 2, a staff member's 3;
# anonymous reports from one address alone never hide a comment. COMMENTS_REPORTS_TO_HIDE is
# the former name.
COMMENTS_REPORT_WEIGHT_TO_HIDE = env.int("COMMENTS_REPORT_WEIGHT_TO_HIDE",
                                         default=env.int("COMMENTS_REPORTS_TO_HIDE", default=3))
# Reports taken in an hour from one address and from one browser session; over them: HTTP 429.
COMMENTS_REPORTS_PER_HOUR_PER_IP = env.int("COMMENTS_REPORTS_PER_HOUR_PER_IP", default=10)
COMMENTS_REPORTS_PER_HOUR_PER_SESSION = env.int("COMMENTS_REPORTS_PER_HOUR_PER_SESSION", default=5)
# A poster may edit a comment this long after posting, while it has no replies.
COMMENTS_EDIT_WINDOW = 15 * 60
# The one-click unsubscribe link in reply emails works this long (seconds; 60 days).
COMMENTS_UNSUBSCRIBE_MAX_AGE = 60 * 24 * 3600
# IP addresses and user agents of comments older than this are erased by `purge_comment_ips`.
COMMENTS_IP_RETENTION_DAYS = env.int("COMMENTS_IP_RETENTION_DAYS", default=90)
# Shown to a poster whose comment uses crisis language, whatever its status.
COMMENTS_CRISIS_RESOURCES = {
    "heading": "You don't have to go through this alone",
    "text": "If you are thinking about suicide or harming yourself, please reach out now. "
            "Free, confidential help is there any time, day or night.",
    "links": [
        ("988 Suicide & Crisis Lifeline: call or text 988 (US)", "https://988lifeline.org/"),
        ("Crisis Text Line: text HOME to 741741 (US)", "https://www.crisistextline.org/"),
        ("In immediate danger: call 911 or your local emergency number", ""),
    ],
}

# The moderation desk (comments/moderation.py, audit.py, rules.py, dosing.py, urgent.py).
# A crisis comment no moderator has handled within this many minutes alerts them all again
# (`manage.py follow_up_urgent`, run by a scheduler every few minutes) and puts a banner before
# all staff until it is handled; the alert repeats every as many minutes.
COMMENTS_URGENT_MINUTES = env.int("COMMENTS_URGENT_MINUTES", default=15)
# Comments that give medication doses or instructions (comments/dosing_patterns.txt) wait for a
# moderator even from trusted posters; once approved, readers see this note under them.
COMMENTS_DOSING_HOLD = env.bool("COMMENTS_DOSING_HOLD", default=True)
COMMENTS_DOSING_NOTE = env.str("COMMENTS_DOSING_NOTE", default="Talk to your doctor before changing any medication.")
# Pending comments per page of /moderation/, and entries per page of its log.
COMMENTS_QUEUE_PER_PAGE = env.int("COMMENTS_QUEUE_PER_PAGE", default=50)

ARTICLES_PER_PAGE = env.int("ARTICLES_PER_PAGE", default=10)  # articles a list page shows
# A medical review signed off longer ago than this many months lists as due in the admin.
REVIEW_DUE_MONTHS = env.int("REVIEW_DUE_MONTHS", default=12)
# Anonymous article pages are kept this long in the cache (0: no page cache); any change to what
# they show, and midnight, replaces them sooner.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=3600)
# A CDN or Varnish in front (healthsite/cdn.py): how long it may keep a shared page (s-maxage, and never
# past the next midnight), and where purges go (a PURGE request with the keys in xkey and Surrogate-Key;
# empty: none is sent, so keep CDN_MAX_AGE short).
CDN_MAX_AGE = env.int("CDN_MAX_AGE", default=600)
CDN_PURGE_URL = env.str("CDN_PURGE_URL", default="")
CDN_PURGE_TIMEOUT = env.float("CDN_PURGE_TIMEOUT", default=2.0)

# Uploaded images (healthsite/images.py): larger files or pixel counts are refused with a message.
IMAGES_MAX_BYTES = 15_000_000
IMAGES_MAX_PIXELS = 40_000_000
# Larger images get their renditions from a job after the save, not while the editor waits.
IMAGES_JOB_PIXELS = env.int("IMAGES_JOB_PIXELS", default=12_000_000)

# Jobs (healthsite/jobs.py): on a Celery worker through this broker (Redis), or with none set, in the web
# process right after the transaction commits. Periodic jobs run from `celery beat` (the schedule below)
# or, without a broker, from `manage.py periodic NAME` in a system scheduler (README "Running at scale").
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_IGNORE_RESULT = True
# A task is taken off the queue once done, not when it starts: a worker that dies leaves it queued.
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A page that queues a job while Redis is down waits about a second for it, not minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 5}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default="") or str(BASE_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Mail no job took: queued while the broker was down, or left by a sender that died.
    "outbox-sweep": {"task": "healthsite.tasks.sweep_outbox", "schedule": OUTBOX_SWEEP_SECONDS},
    # Cached pages show lists of articles: replace them when a scheduled article's time comes.
    "articles-going-live": {"task": "articles.tasks.going_live", "schedule": 60},
    "purge-comment-ips": {"task": "comments.tasks.purge_comment_ips", "schedule": crontab(hour=3, minute=15)},
    "check-comment-tree": {"task": "comments.tasks.check_comment_tree", "schedule": crontab(hour=3, minute=45)},
    # Crisis comments no moderator has handled within COMMENTS_URGENT_MINUTES alert them all again.
    "follow-up-urgent": {"task": "comments.tasks.follow_up_urgent", "schedule": 60},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
