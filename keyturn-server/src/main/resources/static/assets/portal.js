// The customer portal's only script: tells the server the browser's time zone at sign-in, so that
// dates are shown in local time. Without it the portal shows UTC, labelled as such.
document.addEventListener("DOMContentLoaded", function () {
  var field = document.getElementById("zone");
  try {
    if (field) field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch (e) {
    // Old browsers: UTC it is.
  }
});
