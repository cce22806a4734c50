// Sign-up: the browser's time zone (an IANA name such as "Europe/Madrid") goes into the form's hidden field, so
// times are shown in the person's own zone from their first page on. The server checks the name.
(function () {
  "use strict";
  var zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (error) {
    return;
  }
  document.querySelectorAll("input[data-time-zone]").forEach(function (field) {
    field.value = zone;
  });
})();
