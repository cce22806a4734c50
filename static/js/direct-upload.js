// Upload form, S3 mode: the file goes from the browser straight to the bucket in parts, with Uppy (vendored under
// static/vendor/uppy/, see `make vendor-js`). The portal opens the multipart upload (checking the file and the form),
// signs each request Uppy makes to the bucket, and checks the stored object once Uppy has completed it.
// Resuming: the portal answers the same file (name, size, modification time) with its open upload; Uppy then lists
// the parts the bucket already holds and sends only the rest. Each part is retried by Uppy (3 attempts, backoff).
(function () {
  "use strict";
  // Django's JavaScript catalogue (/jsi18n/) when the page loads it; the English text otherwise.
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((text, values) => text.replace(/%\((\w+)\)s/g, (_, name) => values[name]));
  const form = document.querySelector("[data-direct-upload]");
  if (!form || !window.Uppy) return;
  const input = form.querySelector("input[type=file]");
  const status = form.querySelector("[data-upload-progress]");
  const bar = form.querySelector("[data-upload-bar]");
  const submit = form.querySelector("button[type=submit]");
  const cancel = form.querySelector("[data-upload-cancel]");
  const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
  let current = null; // the portal's answer for the upload under way: its URLs, key, upload id, part size

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body || {}),
    });
    const data = await response.json().catch(() => ({}));
    if (!response.ok) {
      const error = new Error(data.error || form.dataset.failed);
      error.fieldErrors = data.field_errors;
      throw error;
    }
    return data;
  }

  const OPERATIONS = { PUT: "upload_part", GET: "list_parts", POST: "complete", DELETE: "abort" };
  const uppy = new Uppy.Uppy({ autoProceed: false, restrictions: { maxNumberOfFiles: 1 } });
  uppy.use(Uppy.AwsS3, {
    shouldUseMultipart: true,
    limit: 1,
    getChunkSize: () => current.part_size,
    async signRequest(request) {
      if (!request.uploadId) throw new Error(gettext("The portal opens the upload itself."));
      const operation = OPERATIONS[request.method];
      const data = await post(current.sign_url, { operation, part_number: request.partNumber || null });
      return { url: data.url };
    },
  });
  uppy.on("upload-progress", (file, progress) => {
    if (!progress.bytesTotal) return;
    const percent = Math.floor((100 * progress.bytesUploaded) / progress.bytesTotal);
    bar.value = percent;
    const values = { what: form.dataset.sending, percent: percent + " %" };
    status.textContent = interpolate(gettext("%(what)s: %(percent)s"), values, true);
  });

  function showFieldErrors(errors) {
    form.querySelectorAll("[data-direct-error]").forEach((node) => node.remove());
    Object.entries(errors || {}).forEach(([name, list]) => {
      const field = form.querySelector("[name=" + CSS.escape(name) + "]");
      const note = document.createElement("p");
      note.className = "field-error";
      note.dataset.directError = "";
      note.textContent = list.map((item) => item.message).join(" ");
      (field ? field.parentNode : form).appendChild(note);
    });
  }

  function fail(message) {
    status.textContent = message;
    submit.disabled = false;
    cancel.hidden = current === null;
  }

  function fields() {
    const data = {};
    new FormData(form).forEach((value, name) => {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") data[name] = value;
    });
    return data;
  }

  async function send(file) {
    current = await post(form.dataset.startUrl, {
      filename: file.name, size: file.size, type: file.type, last_modified: file.lastModified, fields: fields(),
    });
    showFieldErrors({});
    uppy.clear();
    const id = uppy.addFile({ name: file.name, type: file.type, data: file, source: "upload-form" });
    uppy.setFileState(id, { s3Multipart: { key: current.key, uploadId: current.upload_id } });
    cancel.hidden = false;
    const result = await uppy.upload();
    if (!result || result.failed.length) throw new Error(form.dataset.failed);
    status.textContent = form.dataset.checking;
    const done = await post(current.complete_url);
    window.location.assign(done.next_url);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const file = input.files && input.files[0];
    if (!file || !form.checkValidity()) return;
    submit.disabled = true;
    status.hidden = false;
    bar.hidden = false;
    send(file).catch((error) => {
      showFieldErrors(error.fieldErrors);
      fail(error.message || form.dataset.failed);
    });
  });

  cancel.addEventListener("click", () => {
    if (current === null) return;
    uppy.cancelAll();
    post(current.abort_url).finally(() => window.location.reload());
  });
})();
