// "Cite this article": a Copy button for each reference. It puts the reference on the clipboard
// as rich text (the style's italics) and as plain text. Without JavaScript, or without the
// Clipboard API, the buttons stay hidden and the references are ordinary selectable text.
(function () {
  "use strict";

  var clipboard = navigator.clipboard;
  if (!clipboard || !window.isSecureContext) {
    return;
  }

  function copy(element) {
    var html = element.innerHTML;
    var text = element.textContent;
    if (window.ClipboardItem && clipboard.write) {
      var item = new window.ClipboardItem({
        "text/html": new Blob([html], { type: "text/html" }),
        "text/plain": new Blob([text], { type: "text/plain" })
      });
      return clipboard.write([item]).catch(function () {
        return clipboard.writeText(text);
      });
    }
    return clipboard.writeText(text);
  }

  function select(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  document.querySelectorAll(".cite-box").forEach(function (box) {
    var status = box.querySelector(".cite-status");
    box.querySelectorAll("button[data-copy]").forEach(function (button) {
      var reference = document.getElementById(button.getAttribute("data-copy"));
      if (!reference) {
        return;
      }
      var label = button.textContent;
      button.hidden = false;
      button.addEventListener("click", function () {
        copy(reference).then(function () {
          button.textContent = "Copied";
          if (status) { status.textContent = label.replace(/^Copy /, "") + " reference copied."; }
          window.setTimeout(function () { button.textContent = label; }, 2000);
        }, function () {
          select(reference);
          if (status) { status.textContent = "Copying was refused: the reference is selected, press Ctrl+C (⌘C) to copy it."; }
        });
      });
    });
  });
})();
