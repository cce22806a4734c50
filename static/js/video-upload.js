// Upload form: refuse a file over the program's limit before sending it, and show progress while it uploads.
// Without this script the form still works; the server enforces the same limit while it reads the upload.
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/) when the page loads it; the English text otherwise.
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));
  const form = document.querySelector("[data-upload-form]");
  if (!form) return;
  const input = form.querySelector("input[type=file][data-max-bytes]");
  const status = form.querySelector("[data-upload-progress]");
  const maxBytes = Number(input && input.dataset.maxBytes);
  const mb = (bytes) => (bytes / 1048576).toFixed(1) + " MB";

  function check() {
    const file = input.files && input.files[0];
    if (file && maxBytes && file.size > maxBytes) {
      const message = gettext("This file is %(size)s; the limit is %(limit)s.");
      input.setCustomValidity(interpolate(message, { size: mb(file.size), limit: mb(maxBytes) }, true));
    } else if (file && file.size === 0) {
      input.setCustomValidity(gettext("This file is empty (0 bytes)."));
    } else {
      input.setCustomValidity("");
    }
  }
  input.addEventListener("change", () => { check(); input.reportValidity(); });
  form.addEventListener("submit", () => {
    check();
    if (!form.checkValidity()) return;
    status.hidden = false;
    status.textContent = gettext("Uploading… keep this page open until it finishes.");
    form.querySelector("button[type=submit]").disabled = true;
  });
})();
