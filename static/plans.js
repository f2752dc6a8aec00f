// Report forms (plans): show "Ngày hoàn thành" only for Hoàn thành and "Lý do" only for Không thực hiện được.
// Without this script both fields stay visible and the server checks them all the same.
(function () {
  "use strict";

  function sync(form) {
    var select = form.querySelector('select[name="status"]');
    if (!select) { return; }
    form.querySelectorAll("[data-show-for]").forEach(function (el) {
      var show = el.getAttribute("data-show-for") === select.value || el.classList.contains("has-error");
      el.classList.toggle("hidden", !show);
    });
  }

  function syncAll(root) {
    if (root.matches && root.matches("form.report-form")) { sync(root); }
    root.querySelectorAll("form.report-form").forEach(sync);
  }

  document.addEventListener("change", function (evt) {
    var form = evt.target.closest("form.report-form");
    if (form && evt.target.name === "status") { sync(form); }
  });
  // htmx:load fires for the page on start and for every fragment swapped in (a refreshed row).
  document.addEventListener("htmx:load", function (evt) { syncAll(evt.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { syncAll(document); });
})();
