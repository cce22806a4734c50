// A form marked data-one-request sends one request at a time: while it is in flight (a normal submit or
// htmx), its buttons are disabled and further submits (a double click, a repeated keyboard shortcut) are
// dropped. Buttons come back when htmx answers without replacing the form, or when the page is shown again
// from the back/forward cache.
document.addEventListener(
  "submit",
  (event) => {
    const form = event.target.closest("form[data-one-request]");
    if (!form) return;
    if (form.dataset.inFlight) {
      event.preventDefault();
      event.stopImmediatePropagation();
      return;
    }
    form.dataset.inFlight = "1";
    form.setAttribute("aria-busy", "true");
    // After this event: the submitter's name and value are read before the buttons are disabled.
    setTimeout(() => form.querySelectorAll("button").forEach((button) => (button.disabled = true)));
  },
  true,
);

function release(form) {
  delete form.dataset.inFlight;
  form.removeAttribute("aria-busy");
  form.querySelectorAll("button").forEach((button) => (button.disabled = false));
}

document.addEventListener("htmx:afterRequest", (event) => {
  const form = event.target.closest && event.target.closest("form[data-one-request]");
  if (form && form.isConnected) release(form);
});

window.addEventListener("pageshow", (event) => {
  if (event.persisted) document.querySelectorAll("form[data-one-request]").forEach(release);
});
