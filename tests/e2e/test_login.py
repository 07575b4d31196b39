"""Logging in, two-factor authentication, lockout, roles and API tokens, in a real browser.

Every test starts from the demo world (DESIGN.md section 6) in a fresh database.
"""

from __future__ import annotations

import base64
import json
import re
import time
import urllib.error
import urllib.request

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from continuum.accounts.demo import DEMO_PASSWORD
from continuum.accounts.models import User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOME = re.compile(r"/$")


def log_in(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in", exact=True).click()


def log_out(page: Page) -> None:
    page.get_by_role("banner").get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("status")).to_contain_text("You are logged out.")


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


# --- Two-factor helpers ----------------------------------------------------------------------------


def key_from_secret(secret: str) -> bytes:
    """The key an authenticator app derives from the base32 secret as shown (groups of four)."""
    compact = secret.replace(" ", "").upper()
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def current_code(key: bytes, username: str) -> str:
    """The code the app shows now, for a time step the device has not accepted yet.

    A TOTP device refuses a code of a time step it already accepted (``last_t``) but allows
    ``tolerance`` (1) steps of clock difference, so when the current step is used up the code of
    the next step is accepted too: no need to wait up to 30 s for the app to show a new code.
    """
    device = TOTPDevice.objects.get(user__username=username)
    totp = TOTP(key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.time = device.t0 + (device.last_t + 1 - device.drift) * device.step
    return str(totp.token()).zfill(device.digits)


def wrong_code(key: bytes, username: str) -> str:
    """A code that no step within the device's tolerance (and then some) would accept."""
    device = TOTPDevice.objects.get(user__username=username)
    totp = TOTP(key, device.step, device.t0, device.digits, device.drift)
    now = time.time()
    valid = set()
    for offset in range(-3, 4):
        totp.time = now + offset * device.step
        valid.add(str(totp.token()).zfill(device.digits))
    return next(code for code in (f"{n:06d}" for n in range(123456, 10**6)) if code not in valid)


def wait_until_device_accepts_codes(username: str) -> None:
    """After a wrong code django-otp throttles the device briefly (1 s, then 2 s, 4 s, ...)."""
    deadline = time.monotonic() + 10
    while not TOTPDevice.objects.get(user__username=username).verify_is_allowed()[0]:
        assert time.monotonic() < deadline, "the device stayed throttled"
        time.sleep(0.1)


# --- Tests ------------------------------------------------------------------------------------------


def test_password_login_reaches_home_with_name_and_organisation_and_logout_ends_the_session(page: Page, demo_world):
    log_in(page, "prob.officer")

    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sanne Jacobs")
    expect(page.get_by_role("main")).to_contain_text("Probation Service")
    expect(page.get_by_role("banner")).to_contain_text("Sanne Jacobs")
    expect(page.get_by_role("banner")).to_contain_text("Probation Service")
    # The page is styled: the stylesheet is found and served (it was once left out of the static files).
    stylesheet = page.locator('link[rel="stylesheet"]').get_attribute("href")
    assert stylesheet and page.request.get(stylesheet).ok

    log_out(page)
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")


def test_wrong_password_shows_a_plain_error_on_the_login_page(page: Page, demo_world):
    log_in(page, "prob.officer", "not-the-password")

    expect(page).to_have_url(re.compile(r"/login/$"))
    expect(page.get_by_role("alert")).to_contain_text("That username and password do not match")


def test_production_login_enrols_an_authenticator_then_asks_for_its_code_at_every_login(
    page: Page, demo_world, settings
):
    settings.CONTINUUM_REQUIRE_2FA = True

    # First login: the password alone leads to setting up the authenticator app.
    log_in(page, "prob.officer")
    expect(page).to_have_url(re.compile(r"/two-factor/setup/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    expect(main_nav(page)).to_have_count(0)
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})*", secret), secret
    key = key_from_secret(secret)
    assert key == TOTPDevice.objects.get(user__username="prob.officer", confirmed=False).bin_key
    # The QR code scales as a whole (a viewBox); squeezed without one, its edges were cut off.
    qr = page.locator("figure.qr svg")
    assert qr.get_attribute("viewBox")
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150 and abs(box["width"] - box["height"]) < 1

    # Nothing else is reachable before the second factor is set up.
    page.goto("/account/")
    expect(page).to_have_url(re.compile(r"/two-factor/setup/\?next=%2Faccount%2F$"))

    page.get_by_label("Six-digit code").fill(current_code(key, "prob.officer"))
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page).to_have_url(re.compile(r"/account/$"))
    expect(page.get_by_role("status")).to_contain_text("Two-factor authentication is set up")
    expect(page.get_by_role("main")).to_contain_text("Switched on")
    assert TOTPDevice.objects.get(user__username="prob.officer").confirmed

    # Second login: the password leads to the code page; a wrong code is refused.
    log_out(page)
    log_in(page, "prob.officer")
    expect(page).to_have_url(re.compile(r"/login/verify/\?next="))
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login/verify/\?next=%2F$"))

    page.get_by_label("Six-digit code").fill(wrong_code(key, "prob.officer"))
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".field-error")).to_contain_text("That code is not right")
    expect(main_nav(page)).to_have_count(0)

    # The right code (as the app shows it a moment later) logs in.
    wait_until_device_accepts_codes("prob.officer")
    page.get_by_label("Six-digit code").fill(current_code(key, "prob.officer"))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sanne Jacobs")
    expect(main_nav(page).get_by_role("link", name="My account")).to_be_visible()


def test_five_wrong_passwords_lock_the_account_even_against_the_right_password(page: Page, demo_world):
    log_in(page, "pn.casemanager", "wrong-password-1")
    expect(page.get_by_role("alert")).to_contain_text("That username and password do not match")
    for attempt in range(2, 6):
        log_in(page, "pn.casemanager", f"wrong-password-{attempt}")

    with page.expect_response(lambda r: r.request.method == "POST" and "/login/" in r.url) as answer:
        log_in(page, "pn.casemanager")
    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed attempts")
    expect(page.get_by_role("alert")).to_contain_text("ask your organisation's administrator to unlock it")
    expect(main_nav(page)).to_have_count(0)


def test_admin_sees_account_management_and_creates_a_user_who_can_log_in(page: Page, demo_world):
    log_in(page, "admin")
    nav = main_nav(page)
    expect(nav.get_by_role("link", name="Organisations")).to_be_visible()
    expect(nav.get_by_role("link", name="Users")).to_be_visible()

    nav.get_by_role("link", name="Users").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Users")
    page.get_by_role("link", name="Add a user").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New user")
    page.get_by_label("Username").fill("new.worker")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("Last name").fill("Vermeulen")
    page.get_by_label("Email address").fill("noor@example.org")
    page.get_by_label("Organisation").select_option(label="Probation Service")
    page.get_by_label("Role").select_option(label="Case manager")
    page.get_by_label("Initial password").fill("harbour-lantern-thistle-42")
    page.get_by_role("button", name="Create user").click()

    expect(page).to_have_url(re.compile(r"/manage/users/$"))
    expect(page.get_by_role("status")).to_contain_text("User “new.worker” is saved.")
    row = page.get_by_role("row").filter(has_text="new.worker")
    expect(row).to_contain_text("Noor Vermeulen")
    expect(row).to_contain_text("Probation Service")
    expect(row).to_contain_text("Case manager")
    created = User.objects.get(username="new.worker")
    assert created.organisation.slug == "probation" and created.role == "case_manager"

    log_out(page)
    log_in(page, "new.worker", "harbour-lantern-thistle-42")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Noor Vermeulen")


def test_case_manager_sees_no_account_management_and_gets_403_on_the_users_page(page: Page, demo_world):
    log_in(page, "prob.officer")
    nav = main_nav(page)
    expect(nav.get_by_role("link", name="Home")).to_be_visible()
    expect(nav.get_by_role("link", name="Organisations")).to_have_count(0)
    expect(nav.get_by_role("link", name="Users")).to_have_count(0)
    expect(nav.get_by_role("link", name="Audit log")).to_have_count(0)

    response = page.goto("/manage/users/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You do not have access to this page.")


def test_dpo_checks_the_audit_chain_and_sees_it_intact(page: Page, demo_world):
    log_in(page, "dpo")
    main_nav(page).get_by_role("link", name="Audit chain").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit chain")
    page.get_by_role("button", name="Check the chain now").click()
    # Beside it, a second status says whether signed checkpoints are set up.
    expect(page.get_by_role("status").filter(has_text="The chain is intact")).to_be_visible()


def test_api_token_is_shown_once_and_then_authenticates_against_the_api(page: Page, demo_world, live_server):
    log_in(page, "prob.officer")
    main_nav(page).get_by_role("link", name="My account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    page.get_by_label("What the token is for").fill("probation system link")
    page.get_by_role("button", name="Create a token").click()

    key = page.get_by_test_id("new-token").inner_text().strip()
    assert len(key) >= 40
    expect(page.get_by_role("row").filter(has_text="probation system link")).to_contain_text(key[:8])

    # Shown only once: opening the page again shows the token's prefix, never the key.
    page.goto("/account/")
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert key not in page.content()

    # A plain HTTP client without the browser's cookies: only the token can authenticate it.
    me = _get_json(f"{live_server.url}/api/v1/me/", key)
    assert me["username"] == "prob.officer" and me["organisation"] == "probation"
    with pytest.raises(urllib.error.HTTPError) as refused:
        _get_json(f"{live_server.url}/api/v1/me/", key[:-4] + "AAAA")
    assert refused.value.code == 401


def _get_json(url: str, token: str) -> dict:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


# --- Passkeys (WebAuthn), with Chromium's virtual authenticator ------------------------------------


def test_a_passkey_is_added_on_the_account_and_then_completes_the_login(page: Page, demo_world, live_server, settings):
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    log_in(page, "prob.officer")
    expect(page).to_have_url(HOME)
    page.goto("/account/")
    page.get_by_role("link", name="Add or remove passkeys").click()
    expect(page.get_by_role("heading", name="Passkeys", level=1)).to_be_visible()
    expect(page.get_by_text("You have no passkeys yet.")).to_be_visible()
    # The package's script shows the button, then attaches its handler: let it finish first.
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.get_by_role("heading", name="Your passkeys")).to_be_visible()
    log_out(page)

    log_in(page, "prob.officer")
    expect(page).to_have_url(re.compile(r"/login/verify/"))
    expect(page.get_by_role("heading", name="Use your passkey")).to_be_visible()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Use my passkey").click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_role("banner")).to_contain_text("Probation Service")
