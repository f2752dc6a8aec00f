// Page behaviour without inline script (the CSP forbids it): CSRF header for htmx, confirmations, errors.
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  // Every htmx request carries the CSRF token in a header; the meta tag is read at request time so a
  // token refreshed by a boosted navigation is always the one sent.
  document.addEventListener("htmx:configRequest", function (evt) {
    evt.detail.headers["X-CSRFToken"] = csrfToken();
  });

  // A message belongs to the action that caused it: a new action (any htmx request but a read) clears the
  // page's messages; the answer brings its own (in its fragment, or out of band into #page-flashes).
  document.addEventListener("htmx:beforeRequest", function (evt) {
    var verb = (evt.detail.requestConfig && evt.detail.requestConfig.verb) || "get";
    var box = document.getElementById("page-flashes");
    if (box && verb.toLowerCase() !== "get") { box.innerHTML = ""; }
  });

  // Buttons with data-confirm ask before submitting (works with and without htmx).
  document.addEventListener("click", function (evt) {
    var button = evt.target.closest("[data-confirm]");
    if (button && !window.confirm(button.getAttribute("data-confirm"))) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // htmx does not swap error responses; show their message in one place instead of failing silently.
  document.addEventListener("htmx:responseError", function (evt) {
    var box = document.getElementById("htmx-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "htmx-errors";
      box.className = "flashes floating";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    var xhr = evt.detail.xhr;
    var ct = xhr.getResponseHeader("Content-Type") || "";
    box.innerHTML = "";
    var msg = document.createElement("div");
    msg.className = "flash flash-error";
    if (ct.indexOf("text/html") === 0 && xhr.responseText.length < 4000 && xhr.responseText.indexOf("<html") === -1) {
      msg.innerHTML = xhr.responseText;  // our own escaped fragment (errors/_fragment.html)
    } else {
      msg.textContent = "Không thực hiện được thao tác (mã " + xhr.status + "). Vui lòng tải lại trang.";
    }
    box.appendChild(msg);
    setTimeout(function () { if (box.parentNode) { box.parentNode.removeChild(box); } }, 8000);
  });

  document.addEventListener("htmx:sendError", function (evt) {
    var elt = evt.detail && evt.detail.elt;
    if (elt && elt.closest && elt.closest("form[data-draft]")) { return; }  // forms.js says it inside the form
    window.alert("Không kết nối được máy chủ. Vui lòng kiểm tra mạng nội bộ rồi thử lại.");
  });

  // Elements with data-autosubmit submit their form on change (filters, inline status selects).
  document.addEventListener("change", function (evt) {
    var el = evt.target.closest("[data-autosubmit]");
    if (el && el.form && !el.form.hasAttribute("hx-post") && !el.form.hasAttribute("hx-get")) {
      el.form.requestSubmit();
    }
  });

})();
