(function () {
  var errors = [];
  function show() {
    var box = document.getElementById("js-errors");
    if (!box) { return; }
    box.setAttribute("data-count", String(errors.length));
    if (errors.length) {
      box.hidden = false;
      box.textContent = "JavaScript errors: " + errors.join(" | ");
    }
  }
  function record(message) { errors.push(String(message)); show(); }
  window.addEventListener("error", function (event) {
    record(event.message || "error in " + (event.filename || "page"));
  });
  window.addEventListener("unhandledrejection", function (event) {
    var reason = event.reason;
    record("unhandled rejection: " + ((reason && reason.message) || reason));
  });
  document.addEventListener("DOMContentLoaded", show);
})();
