// The article form: autosave while writing, a warning before leaving with unsaved changes, and the
// search-result preview following the SEO fields. The form works without this script.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var form = document.getElementById("article_form");
  if (!form) return;
  var AUTOSAVE_EVERY = 30000, IDLE = 3000, CHECK = 2000;

  function field(name) { return form.elements.namedItem(name); }
  function value(name) { var el = field(name); return el ? el.value : ""; }
  function snapshot() {
    var data = new FormData(form), parts = [];
    data.forEach(function (v, k) { if (k !== "csrfmiddlewaretoken" && typeof v === "string") parts.push(k + "=" + v); });
    return parts.join("&");
  }

  // Leaving the page with changes not saved by the form asks first.
  var saved = snapshot(), submitting = false;
  form.addEventListener("submit", function () { submitting = true; });
  window.addEventListener("beforeunload", function (event) {
    if (!submitting && snapshot() !== saved) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Autosave: what was typed goes to the autosave endpoint after a pause, or every 30 seconds while typing.
  var status = form.querySelector(".autosave-status");
  if (status && status.dataset.autosaveUrl) {
    var text = function () { return JSON.stringify([value("title"), value("summary"), value("body")]); };
    var lastSent = text(), lastChange = Date.now(), lastSave = Date.now(), seen = lastSent, busy = false;
    var autosave = function () {
      var now = Date.now(), current = text();
      if (current !== seen) { seen = current; lastChange = now; }
      if (busy || current === lastSent || (now - lastChange < IDLE && now - lastSave < AUTOSAVE_EVERY)) return;
      busy = true;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", value("csrfmiddlewaretoken"));
      data.append("title", value("title"));
      data.append("summary", value("summary"));
      data.append("body", value("body"));
      fetch(status.dataset.autosaveUrl, {method: "POST", body: data, credentials: "same-origin",
                                         headers: {"Accept": "application/json"}})
        .then(function (response) { return response.json(); })
        .then(function (result) {
          busy = false;
          lastSave = Date.now();
          if (result.saved_at) { lastSent = current; status.textContent = "Saved at " + result.saved_at; }
          else { status.textContent = result.error || "Not saved."; }
        }, function () { busy = false; lastSave = Date.now(); status.textContent = "Not saved: the site could not be reached."; });
    };
    window.setInterval(autosave, CHECK);
  }

  // The search-result preview shows what the SEO fields would make of the page, as they are typed.
  var preview = form.querySelector(".search-preview");
  if (preview) {
    var cut = function (s, n) { s = s.trim(); return s.length > n ? s.slice(0, n - 1) + "…" : s; };
    var update = function () {
      var title = value("seo_title").trim() || value("title").trim();
      var description = value("meta_description").trim() || value("summary").trim() || value("title").trim();
      preview.querySelector(".search-preview-title").textContent = title ? title + " | " + preview.dataset.siteName : "";
      preview.querySelector(".search-preview-description").textContent = cut(description, 160);
    };
    ["seo_title", "title", "meta_description", "summary"].forEach(function (name) {
      var el = field(name);
      if (el) el.addEventListener("input", update);
    });
  }
});
