// The comment section: move the focus to what a reader has just landed at (a refused post's error
// summary, the crisis help at their comment, the thanks for a report), so that screen readers read
// it out. Without JavaScript the address's fragment still brings the reader there.
(function () {
  "use strict";

  var target = document.querySelector("[data-focus-on-load]");
  if (target) {
    target.focus();
  }
})();
