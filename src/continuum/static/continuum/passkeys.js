// After a passkey is registered (django-otp-webauthn's script reports it with an event), go on to the
// page named by data-passkey-done: the passkey list, or where the login was going. No inline script (CSP).
document.addEventListener("otp_webauthn.register_complete", function () {
  var marker = document.querySelector("[data-passkey-done]");
  var target = marker && marker.getAttribute("data-passkey-done");
  window.location.assign(target || window.location.href);
});
