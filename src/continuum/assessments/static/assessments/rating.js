// Autosave of an assessor's draft ratings (htmx posts each item a moment after a change).
// When a save fails (no connection, server error) nothing in the form is touched: the text stays,
// the item says clearly that it is not saved, and the save is tried again in a few seconds.
(function () {
  "use strict";
  var RETRY_MS = 8000;

  // The texts, in the page's language: the rating page puts them on #save-problems (data-text-*);
  // "{n}" and "{status}" are filled in here. The English ones are the fallback.
  function text(name, fallback, values) {
    var box = document.getElementById("save-problems");
    var found = (box && box.getAttribute("data-text-" + name)) || fallback;
    Object.keys(values || {}).forEach(function (key) { found = found.split("{" + key + "}").join(String(values[key])); });
    return found;
  }

  function statusOf(form) { return form.querySelector(".save-status"); }

  function say(form, text, kind) {
    var status = statusOf(form);
    if (!status) { return; }
    status.textContent = "";
    var span = document.createElement("span");
    span.className = "save-status--" + kind;
    span.textContent = text;
    status.appendChild(span);
  }

  function autosaveForm(evt) {
    var form = evt.detail && evt.detail.elt;
    return form && form.matches && form.matches("form[data-autosave]") ? form : null;
  }

  function updateSummary() {
    var box = document.getElementById("save-problems");
    if (!box) { return; }
    var failed = document.querySelectorAll("form[data-autosave][data-state='failed']").length;
    if (failed) {
      box.hidden = false;
      var rest = " not saved yet. Your text is still on this page; saving is tried again automatically. " +
        "Do not close the page until every item says “Draft saved”.";
      box.textContent = failed === 1
        ? text("failed-one", "{n} item is" + rest, { n: failed })
        : text("failed-many", "{n} items are" + rest, { n: failed });
    } else {
      box.hidden = true;
      box.textContent = "";
    }
  }

  document.addEventListener("htmx:beforeRequest", function (evt) {
    var form = autosaveForm(evt);
    if (!form) { return; }
    form.setAttribute("data-state", "saving");
    say(form, text("saving", "Saving…"), "saving");
  });

  document.addEventListener("htmx:afterRequest", function (evt) {
    var form = autosaveForm(evt);
    if (!form) { return; }
    if (evt.detail.successful) {
      form.setAttribute("data-state", form.querySelector(".save-status--failed") ? "refused" : "saved");
      if (form._retry) { clearTimeout(form._retry); form._retry = null; }
    } else {
      var status = evt.detail.xhr ? evt.detail.xhr.status : 0;
      var rest = ". Your text is still here; trying again in a few seconds. You can also press “Save this item”.";
      form.setAttribute("data-state", "failed");
      say(form, status
        ? text("server-error", "Not saved: the server answered with an error ({status})" + rest, { status: status })
        : text("connection-failed", "Not saved: the connection failed" + rest), "failed");
      if (form._retry) { clearTimeout(form._retry); }
      form._retry = setTimeout(function () { window.htmx.trigger(form, "retry"); }, RETRY_MS);
    }
    updateSummary();
  });

  // Each save answers with the draft's progress (swapped out of band). Two items saved close together
  // may answer out of order: the older answer (a lower data-version, the draft's latest save) is not
  // swapped over the newer one.
  document.addEventListener("htmx:oobBeforeSwap", function (evt) {
    var shown = evt.detail.target;
    var fresh = evt.detail.fragment && evt.detail.fragment.firstElementChild;
    if (!shown || !fresh || !shown.hasAttribute("data-version") || !fresh.hasAttribute("data-version")) { return; }
    if (Number(fresh.getAttribute("data-version")) < Number(shown.getAttribute("data-version"))) {
      evt.detail.shouldSwap = false;
    }
  });

  // Submitting while an item is unsaved would lose it: say so instead.
  document.addEventListener("submit", function (evt) {
    if (evt.target.id !== "submit-form") { return; }
    var pending = document.querySelectorAll("form[data-autosave][data-state='saving'], form[data-autosave][data-state='failed']");
    if (pending.length) {
      evt.preventDefault();
      var box = document.getElementById("save-problems");
      if (box) {
        box.hidden = false;
        box.textContent = text("wait", "Wait until every item is saved before submitting ({n} not saved yet).", { n: pending.length });
        box.scrollIntoView();
      }
    }
  });

})();
