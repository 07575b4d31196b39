"""Continuum's one settings module.

Every deploy knob comes from an environment variable (README, "Configuration");
a bad value stops start-up with a message naming it. Production is the default:
``CONTINUUM_DEBUG`` must be switched on explicitly, and then only for the demo
and development.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from continuum.lib.client_ip import parse_networks
from continuum.lib.env import envbool, envint, envintmap, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(envstr("CONTINUUM_VAR_DIR") or PROJECT_DIR / "var")

DEBUG = envbool("CONTINUUM_DEBUG", False)


def _secret_key() -> str:
    key = envstr("SECRET_KEY")
    if key:
        if len(key) < 50 and not DEBUG:
            raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters long in production.")
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production needs a long random SECRET_KEY (or SECRET_KEY_FILE); "
            "for the demo set CONTINUUM_DEBUG=true."
        )
    # Development only: a key kept under var/ so sessions survive a restart.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(64), encoding="utf-8")
        key_file.chmod(0o600)
    return key_file.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must name the host names Continuum is served under.")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])

# Whether the person must use a second factor at every interactive login.
CONTINUUM_REQUIRE_2FA = envbool("CONTINUUM_REQUIRE_2FA", True)
CONTINUUM_API_TOKEN_DAYS = envint("CONTINUUM_API_TOKEN_DAYS", 30, minimum=1)
# The organisation (slug) of the national central point: it leads cases opened by rule.
CONTINUUM_CENTRAL_POINT = envstr("CONTINUUM_CENTRAL_POINT", "central-point") or "central-point"
CONTINUUM_MAX_UPLOAD_MB = envint("CONTINUUM_MAX_UPLOAD_MB", 10, minimum=1)
CONTINUUM_MAX_OVERRIDE_DAYS = envint("CONTINUUM_MAX_OVERRIDE_DAYS", 90, minimum=1)
# Retention after case closure (docs/data-protection.md): years per category overriding the defaults
# ("legal=10,security=5"), and the days a due record stays in the review queue before it is erased.
CONTINUUM_RETENTION_YEARS = envintmap("CONTINUUM_RETENTION_YEARS", minimum=0)
CONTINUUM_RETENTION_REVIEW_DAYS = envint("CONTINUUM_RETENTION_REVIEW_DAYS", 30, minimum=0)
CONTINUUM_INSTANCE_NAME = envstr("CONTINUUM_INSTANCE_NAME", "Continuum") or "Continuum"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp_webauthn",
    "axes",
    "continuum.accounts",
    "continuum.audit",
    "continuum.sharing",
    "continuum.people",
    "continuum.cases",
    "continuum.signals",
    "continuum.assessments",
    "continuum.plans",
    "continuum.conferences",
    "continuum.transition",
    "continuum.families",
    "continuum.training",
    "continuum.mentoring",
    "continuum.insights",
    "continuum.dataprotection",
    "continuum.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "continuum.middleware.RequestContextMiddleware",
    # Every error under /api/ is JSON, whichever view or middleware answered it.
    "continuum.middleware.ApiJsonErrorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "continuum.accounts.middleware.IdleSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "continuum.accounts.middleware.LanguageMiddleware",
    "continuum.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "continuum.middleware.NoStoreMiddleware",
    # Every posted form's fields and upload names: after the headers' middleware, so a refusal has them too.
    "continuum.middleware.FormInputMiddleware",
    # Axes must come last: it turns a lockout raised during authentication into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "continuum.urls"
WSGI_APPLICATION = "continuum.wsgi.application"

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
                "csp.context_processors.nonce",
                "continuum.context_processors.navigation",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------------
_default_db = f"sqlite:///{VAR_DIR / 'continuum.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL") or _default_db,
        conn_max_age=envint("CONTINUUM_DB_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock up front, so concurrent writers queue
    # instead of failing half-way; the audit chain relies on appends being serialised.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, passwords, sessions --------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "continuum.accounts.backends.UserBackend",
    "continuum.accounts.passkeys.PasskeyBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle expiry: the session lives this long after the last request.
SESSION_COOKIE_AGE = envint("CONTINUUM_SESSION_IDLE_MINUTES", 30, minimum=1) * 60
SESSION_SAVE_EVERY_REQUEST = False  # continuum.accounts.middleware.IdleSessionMiddleware, once a minute
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lockout after repeated failed logins (django-axes; docs/operations.md, "Behind a reverse proxy").
# Keyed on the pair (username, client address): guessing one account from one address locks that
# pair, so an attacker can lock neither another user nor the same user elsewhere (their colleague
# at another agency, or at home). Spraying many usernames from one address is caught by a second,
# higher limit on the address alone (continuum.accounts.lockout.LockoutHandler; 0 switches it off).
# The address is the real client's, by the one resolver (continuum.lib.client_ip).
AXES_FAILURE_LIMIT = envint("CONTINUUM_LOCKOUT_FAILURES", 5, minimum=1)
CONTINUUM_LOCKOUT_ADDRESS_FAILURES = envint("CONTINUUM_LOCKOUT_ADDRESS_FAILURES", 50, minimum=0)
AXES_COOLOFF_TIME = timedelta(minutes=envint("CONTINUUM_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "continuum.accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "continuum.lib.client_ip.client_ip"
AXES_LOCKOUT_CALLABLE = "continuum.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests, on pages and on the API alike
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = CONTINUUM_INSTANCE_NAME

# Re-authentication before a legal override, a subject-access export, a research export
# (continuum.accounts.reauth; docs/operations.md, "Signing in").
CONTINUUM_REAUTH_SECONDS = envint("CONTINUUM_REAUTH_SECONDS", 300, minimum=30)

# Passkeys (WebAuthn, continuum.accounts.passkeys): a second factor beside the authenticator app. The
# relying party is the site's domain (default: the first of ALLOWED_HOSTS); the origins are the addresses the
# pages are served at (default: https:// on that domain, and http://localhost:8000 for the demo).
CONTINUUM_WEBAUTHN_RP_ID = envstr("CONTINUUM_WEBAUTHN_RP_ID", "") or next(
    (host.split(":")[0] for host in ALLOWED_HOSTS if host and not host.startswith((".", "*", "["))), "localhost"
)
CONTINUUM_WEBAUTHN_ORIGINS = envlist(
    "CONTINUUM_WEBAUTHN_ORIGINS",
    [f"https://{CONTINUUM_WEBAUTHN_RP_ID}"] + (["http://localhost:8000"] if DEBUG else []),
)
CONTINUUM_PASSKEY_PASSWORDLESS = envbool("CONTINUUM_PASSKEY_PASSWORDLESS", False)
OTP_WEBAUTHN_RP_ID = CONTINUUM_WEBAUTHN_RP_ID
OTP_WEBAUTHN_RP_NAME = CONTINUUM_INSTANCE_NAME
OTP_WEBAUTHN_ALLOWED_ORIGINS = CONTINUUM_WEBAUTHN_ORIGINS
OTP_WEBAUTHN_HELPER_CLASS = "continuum.accounts.passkeys.PasskeyHelper"
OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN = CONTINUUM_PASSKEY_PASSWORDLESS

# Single sign-on with the agency's OpenID Connect identity provider (continuum.accounts.oidc): off unless
# the endpoints and the client are set. It never creates an organisation: a claim value names an existing
# one (CONTINUUM_OIDC_ORGANISATIONS="idp-group=slug,...") and a role (CONTINUUM_OIDC_ROLES="idp-role=role").
CONTINUUM_OIDC_NAME = envstr("CONTINUUM_OIDC_NAME", "") or ""
CONTINUUM_OIDC_ISSUER = envstr("CONTINUUM_OIDC_ISSUER", "") or ""
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr("CONTINUUM_OIDC_AUTHORIZATION_ENDPOINT", "") or ""
OIDC_OP_TOKEN_ENDPOINT = envstr("CONTINUUM_OIDC_TOKEN_ENDPOINT", "") or ""
OIDC_OP_USER_ENDPOINT = envstr("CONTINUUM_OIDC_USERINFO_ENDPOINT", "") or ""
OIDC_OP_JWKS_ENDPOINT = envstr("CONTINUUM_OIDC_JWKS_ENDPOINT", "") or ""
OIDC_RP_CLIENT_ID = envstr("CONTINUUM_OIDC_CLIENT_ID", "") or ""
OIDC_RP_CLIENT_SECRET = envstr("CONTINUUM_OIDC_CLIENT_SECRET", "") or ""
OIDC_RP_SIGN_ALGO = envstr("CONTINUUM_OIDC_SIGN_ALGO", "RS256") or "RS256"
OIDC_RP_SCOPES = envstr("CONTINUUM_OIDC_SCOPES", "openid profile email") or "openid"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = envint("CONTINUUM_OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "accounts:oidc_failed"
CONTINUUM_OIDC_USERNAME_CLAIM = envstr("CONTINUUM_OIDC_USERNAME_CLAIM", "preferred_username") or "preferred_username"
CONTINUUM_OIDC_ORGANISATION_CLAIM = envstr("CONTINUUM_OIDC_ORGANISATION_CLAIM", "groups") or "groups"
CONTINUUM_OIDC_ORGANISATIONS = envlist("CONTINUUM_OIDC_ORGANISATIONS", [])
CONTINUUM_OIDC_ROLE_CLAIM = envstr("CONTINUUM_OIDC_ROLE_CLAIM", "roles") or "roles"
CONTINUUM_OIDC_ROLES = envlist("CONTINUUM_OIDC_ROLES", [])
# amr or acr values of the ID token that count as the second factor (e.g. "mfa,hwk,otp"); none: local 2FA.
CONTINUUM_OIDC_MFA_VALUES = envlist("CONTINUUM_OIDC_MFA_VALUES", [])
CONTINUUM_OIDC_ENABLED = all(
    (OIDC_OP_AUTHORIZATION_ENDPOINT, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT, OIDC_OP_JWKS_ENDPOINT)
) and bool(OIDC_RP_CLIENT_ID)
if CONTINUUM_OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.append("continuum.accounts.oidc.OrganisationOIDCBackend")

# --- Security headers ---------------------------------------------------------------------------
_production = not DEBUG
SECURE_SSL_REDIRECT = envbool("CONTINUUM_SSL_REDIRECT", _production)
SESSION_COOKIE_SECURE = envbool("CONTINUUM_SECURE_COOKIES", _production)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = envint("CONTINUUM_HSTS_SECONDS", 31_536_000 if _production else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("CONTINUUM_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("CONTINUUM_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS-terminating reverse proxy that sets X-Forwarded-Proto and appends to X-Forwarded-For.
# Which hops are ours: their addresses or networks (preferred), or their number; the client is the
# rightmost address that is not ours (continuum.lib.client_ip). Without either, X-Forwarded-For is
# ignored and `check --deploy` fails (continuum.accounts.checks).
CONTINUUM_BEHIND_PROXY = envbool("CONTINUUM_BEHIND_PROXY", False)
CONTINUUM_TRUSTED_PROXIES = envlist("CONTINUUM_TRUSTED_PROXIES", [])
try:
    CONTINUUM_TRUSTED_PROXY_NETWORKS = parse_networks(CONTINUUM_TRUSTED_PROXIES)
except ValueError as exc:
    raise ImproperlyConfigured(f"CONTINUUM_TRUSTED_PROXIES: {exc}") from exc
CONTINUUM_TRUSTED_PROXY_COUNT = envint("CONTINUUM_TRUSTED_PROXY_COUNT", 0, minimum=0)
if CONTINUUM_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(envstr("CONTINUUM_STATIC_ROOT") or VAR_DIR / "static")
# The project package is not an installed app, so its own assets (continuum.css) need naming here.
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Attachments: never served directly, only through the journal's visibility check.
MEDIA_ROOT = Path(envstr("CONTINUUM_MEDIA_ROOT") or VAR_DIR / "media")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Audit checkpoints (issue 18; docs/threat-model.md, "The audit log against its database owner") --
# `continuum audit_checkpoint` (run from cron) signs the audit chain's head with an Ed25519 key kept
# outside the database and appends it to a file outside the database; `verify_audit` then detects a
# rewritten or truncated log up to the latest checkpoint. Empty: no checkpoints (development, tests).
# The signing key is read only by the commands that sign and verify, never here: the web server's user
# need not be able to read it. So with CONTINUUM_AUDIT_SIGNING_KEY_FILE set, this module keeps only its
# path (envstr would otherwise read the file for CONTINUUM_AUDIT_SIGNING_KEY). The verify key is public.
CONTINUUM_AUDIT_CHECKPOINT_FILE = envstr("CONTINUUM_AUDIT_CHECKPOINT_FILE") or ""
CONTINUUM_AUDIT_SIGNING_KEY_FILE = envstr("CONTINUUM_AUDIT_SIGNING_KEY_FILE") or ""
CONTINUUM_AUDIT_SIGNING_KEY = "" if CONTINUUM_AUDIT_SIGNING_KEY_FILE else envstr("CONTINUUM_AUDIT_SIGNING_KEY") or ""
CONTINUUM_AUDIT_VERIFY_KEY = envstr("CONTINUUM_AUDIT_VERIFY_KEY") or ""

# --- API ----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "continuum.accounts.authentication.ApiTokenAuthentication",
        "continuum.accounts.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "continuum.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "continuum.api.schema.ContinuumAutoSchema",
    "DEFAULT_METADATA_CLASS": "continuum.api.metadata.ContinuumMetadata",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["continuum.api.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "continuum.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Continuum API",
    "DESCRIPTION": (
        "Multi-agency case management for rehabilitation and reintegration. Every request acts as "
        "the authenticated user under the same information-sharing rules as the web interface."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Without deep links each operation's path is plain text, not a link nested in the button that
    # opens the operation (axe-core: nested-interactive); the page is otherwise Swagger UI's default.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The REST API only (not the passkey ceremonies' DRF views under /passkeys/), every error declared.
    "PREPROCESSING_HOOKS": ["continuum.api.schema.api_paths_only"],
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets used by fields of different names get one schema name each.
    "ENUM_NAME_OVERRIDES": {
        "OrgTypeEnum": "continuum.accounts.choices.OrgType",
        "ReoffendingKindEnum": "continuum.transition.choices.ReoffendingKind",
        "ReoffendingSourceEnum": "continuum.transition.choices.ReoffendingSource",
        "CategoryEnum": "continuum.sharing.choices.Category",
        "AccessEnum": "continuum.sharing.choices.Access",
        "AssessmentStatusEnum": "continuum.assessments.choices.AssessmentStatus",
        "InstrumentKindEnum": "continuum.assessments.choices.InstrumentKind",
        "ItemTypeEnum": "continuum.assessments.choices.ItemType",
        "SignalStatusEnum": "continuum.signals.choices.SignalStatus",
        "EntryKindEnum": "continuum.cases.choices.EntryKind",
        "PhaseEnum": "continuum.cases.choices.Phase",
        "UnitTypeEnum": "continuum.cases.choices.UnitType",
        "ReleaseConditionTypeEnum": "continuum.cases.choices.ReleaseConditionType",
        "LegalStatusEnum": "continuum.people.choices.LegalStatus",
        "ConferenceKindEnum": "continuum.conferences.choices.ConferenceKind",
        "DecisionStatusEnum": "continuum.conferences.choices.DecisionStatus",
        "PlanStatusEnum": "continuum.plans.choices.PlanStatus",
        "InterventionTypeEnum": "continuum.plans.choices.InterventionType",
        "InterventionStatusEnum": "continuum.plans.choices.InterventionStatus",
        "AgreementPositionEnum": "continuum.plans.choices.AgreementPosition",
        "ParentingApproachEnum": "continuum.plans.choices.ParentingApproach",
        "DecisionPositionEnum": "continuum.conferences.choices.PositionChoice",
        "ReleaseDomainEnum": "continuum.transition.choices.Domain",
        "ReleaseItemStatusEnum": "continuum.transition.choices.ItemStatus",
        "ReleaseTypeEnum": "continuum.transition.choices.ReleaseType",
        "ConditionReviewOutcomeEnum": "continuum.transition.choices.ReviewOutcome",
        # Signals' settings keep their name now that visits have a "setting" too.
        "SettingEnum": "continuum.signals.choices.Setting",
        "FamilyRelationKindEnum": "continuum.families.choices.RelationKind",
        "FamilyInfluenceEnum": "continuum.families.choices.Influence",
        "FamilyPlacementKindEnum": "continuum.families.choices.PlacementKind",
        "FamilyContactFormEnum": "continuum.families.choices.ContactForm",
        "FamilyVisitSettingEnum": "continuum.families.choices.VisitSetting",
        "FamilyUrgencyEnum": "continuum.families.choices.Urgency",
        "FamilyOfferResponseEnum": "continuum.families.choices.OfferResponse",
        "TrainingTopicEnum": "continuum.training.choices.Topic",
        "MentorTypeEnum": "continuum.mentoring.choices.MentorType",
        "LessonKindEnum": "continuum.insights.choices.LessonKind",
        "SessionKindEnum": "continuum.plans.choices.SessionKind",
        "MentorExperienceEnum": "continuum.mentoring.choices.MentorExperience",
        "MentorVettingEnum": "continuum.mentoring.choices.MentorVetting",
        # A requirement's "case_gender" is the person's gender, named once.
        "GenderEnum": "continuum.people.choices.Gender",
    },
}

# --- Internationalisation -----------------------------------------------------------------------
# The languages of the interface (DESIGN.md, API.md "Languages"): each page in the user's own choice
# (saved on "My account"), else the browser's Accept-Language, else the deployment's default.
LANGUAGES = [("en", "English"), ("nl", "Nederlands"), ("de", "Deutsch"), ("fr", "Français")]
LANGUAGE_CODE = envstr("CONTINUUM_LANGUAGE", "en") or "en"
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"CONTINUUM_LANGUAGE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}."
    )
# Each app keeps its own catalogue in <app>/locale/; this one holds the project-wide templates' texts.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and times in each language's own order and words (continuum/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["continuum.formats"]
LANGUAGE_COOKIE_NAME = "continuum_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = envstr("CONTINUUM_TIME_ZONE", "Europe/Amsterdam") or "UTC"
USE_I18N = True
USE_TZ = True

# --- Logging ------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("CONTINUUM_LOG_LEVEL", "INFO") or "INFO"},
    "loggers": {"axes": {"level": "WARNING"}},
}
