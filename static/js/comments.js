// The comment section: move the focus to what a reader has just landed at (a refused post's error
// summary, the crisis help at their comment, the thanks for a report), so that screen readers read
// it out. Without JavaScript the address's fragment still brings the reader there.
(function () {
  "use strict";

  var target = document.querySelector("[data-focus-on-load]");
  if (!target) {
    return;
  }
  // After the load: the browser's own move to the address's fragment would take the focus back.
  // The fragment has brought the reader there already, so the page moves only if it is out of view.
  window.addEventListener("load", function () {
    var box = target.getBoundingClientRect();
    target.focus({ preventScroll: box.top >= 0 && box.bottom <= window.innerHeight });
  });
})();

// A page every reader shares carries no CSRF token or form time of its own: the form asks for
// them when the reader starts writing, and holds a press of Post until they have come. Without
// the script (or when the request fails) the first post comes back with them, to press once more.
(function () {
  "use strict";

  var form = document.querySelector("form[data-form-token]");
  if (!form) {
    return;
  }
  var token = form.querySelector('input[name="csrfmiddlewaretoken"]');
  var stamp = form.querySelector('input[name="timestamp"]');
  if (!token || !stamp || (token.value && stamp.value)) {
    return; // rendered for this reader, with their own
  }
  var asked = null;
  var sending = false;

  function ask() {
    if (!asked) {
      asked = fetch(form.getAttribute("data-form-token"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) {
          throw new Error("form token: " + response.status);
        }
        return response.json();
      }).then(function (values) {
        token.value = values.csrfmiddlewaretoken;
        stamp.value = values.timestamp;
      }).catch(function () {
        asked = null; // asked again at the next keystroke; a post without them comes back to press again
      });
    }
    return asked;
  }

  form.addEventListener("focusin", ask);
  form.addEventListener("input", ask);
  form.addEventListener("submit", function (event) {
    if (token.value && stamp.value) {
      return;
    }
    event.preventDefault();
    if (sending) {
      return;
    }
    sending = true;
    var send = function () {
      form.submit(); // fires no submit event of its own
    };
    (ask() || Promise.resolve()).then(send, send);
  });
})();
