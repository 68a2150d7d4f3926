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
