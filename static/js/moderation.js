// The moderation pages without reloading: j/k move between comments, a/r/s act on the one with the
// focus, ? shows the help. The pages work without this script: every button posts its form.
// Results are read out through the page's status region, and the focus moves to the next comment.
(function () {
  "use strict";

  var status = document.getElementById("desk-status");
  var help = document.querySelector("[data-shortcuts]");
  if (!status) {
    return;
  }
  status.tabIndex = -1;
  if (help) {
    help.hidden = false;
    help.tabIndex = -1;
  }

  function items() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-item]"));
  }

  function current() {
    var active = document.activeElement;
    return active && active.closest ? active.closest("[data-item]") : null;
  }

  function focusItem(item) {
    if (item) {
      item.focus();
      item.scrollIntoView({block: "nearest"});
    }
  }

  function say(text) {
    // Emptied first, so the same words said twice are read out twice.
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function move(step) {
    var all = items();
    if (!all.length) {
      say("No comments left on this page.");
      return;
    }
    var index = all.indexOf(current());
    if (index === -1) {
      index = step > 0 ? 0 : all.length - 1;
    } else {
      index = Math.min(all.length - 1, Math.max(0, index + step));
    }
    focusItem(all[index]);
  }

  function remove(done) {
    var all = items();
    var gone = all.filter(function (item) { return done.indexOf(Number(item.dataset.item)) !== -1; });
    if (!gone.length) {
      return;
    }
    var last = all.indexOf(gone[gone.length - 1]);
    var next = all.slice(last + 1).concat(all.slice(0, last).reverse()).filter(function (item) {
      return gone.indexOf(item) === -1;
    })[0];
    gone.forEach(function (item) { item.remove(); });
    if (next) {
      focusItem(next);
    } else {
      status.focus();
    }
  }

  function send(form, button) {
    var data = new FormData(form);
    data.set("action", button.value);
    button.disabled = true;
    // Not form.action: the buttons named "action" shadow that property.
    fetch(form.getAttribute("action"), {method: "POST", body: data, credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      })
      .then(function (result) {
        button.disabled = false;
        say(result.body.message);
        if (result.ok) {
          remove(result.body.done || []);
        }
      })
      .catch(function () {
        button.disabled = false;
        say("The site could not be reached, so nothing was done. Please try again.");
      });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-queue]"), function (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      // A button with a formaction of its own (a reader's trust or suspension) posts there, page and all.
      if (!button || !button.value || button.hasAttribute("formaction")) {
        return;
      }
      event.preventDefault();
      send(form, button);
    });
  });

  Array.prototype.forEach.call(document.querySelectorAll("[data-select-all]"), function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      var boxes = link.closest("form").querySelectorAll('input[name="ids"]');
      var choose = Array.prototype.some.call(boxes, function (box) { return !box.checked; });
      Array.prototype.forEach.call(boxes, function (box) { box.checked = choose; });
      link.textContent = choose ? "Select none" : "Select all on this page";
      say(choose ? boxes.length + " comments selected." : "No comment selected.");
    });
  });

  function typing(target) {
    if (target.isContentEditable || target.tagName === "TEXTAREA" || target.tagName === "SELECT") {
      return true;
    }
    return target.tagName === "INPUT" && ["checkbox", "radio", "button", "submit"].indexOf(target.type) === -1;
  }

  function act(key) {
    var item = current();
    if (!item) {
      say("Move to a comment first: press j.");
      return;
    }
    var button = item.querySelector('button[data-key="' + key + '"]');
    if (button) {
      button.click();
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) {
      return;
    }
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "a": case "r": case "s": act(event.key); break;
      case "?":
        if (help) {
          help.hidden = !help.hidden;
          if (!help.hidden) {
            help.focus();
          }
        }
        break;
      default: return;
    }
    event.preventDefault();
  });

  var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target && target.matches("[data-item]")) {
    focusItem(target);
  }
}());
