// The editor's image picker (a window the Figure dialog opens): upload an image or choose one from the
// library, and hand its address, alt text and caption back to the dialog that opened this window.
(function () {
  "use strict";
  var picker = document.querySelector(".media-picker");
  if (!picker) return;
  var funcNum = new URLSearchParams(window.location.search).get("CKEditorFuncNum");

  function choose(image) {
    var opener = window.opener;
    if (!opener || !opener.CKEDITOR || funcNum === null) return false;
    opener.CKEDITOR.tools.callFunction(Number(funcNum), image.url,
      {id: image.id, alternative_text: image.alt, caption: image.caption});
    window.close();
    return true;
  }

  picker.addEventListener("click", function (event) {
    var button = event.target.closest(".media-choose");
    if (!button) return;
    choose({url: button.dataset.url, id: button.dataset.id, alt: button.dataset.alt, caption: button.dataset.caption});
  });

  var form = picker.querySelector(".media-upload");
  var errors = form.querySelector(".media-upload-errors");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    errors.hidden = true;
    var button = form.querySelector("[type=submit]");
    button.disabled = true;
    fetch(picker.dataset.uploadUrl, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: {"Accept": "application/json"}
    }).then(function (response) {
      return response.json().catch(function () {
        return {error: "The upload failed (" + response.status + "). Please try again."};
      });
    }).then(function (data) {
      button.disabled = false;
      if (data.error) {
        errors.textContent = data.error;
        errors.hidden = false;
        errors.focus && errors.focus();
        return;
      }
      if (!choose(data)) window.location.reload();
    }, function () {
      button.disabled = false;
      errors.textContent = "The upload failed: the site could not be reached. Please try again.";
      errors.hidden = false;
    });
  });
})();
