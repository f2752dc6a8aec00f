// The document editor: jump to a body line from a warning or the preview, per-kind fields, Enter in "Dòng khác".
// Everything here is a convenience; the page works without it.
(function () {
  "use strict";

  function bodyField() {
    return document.querySelector("#document-form textarea[name=body]");
  }

  // Select line `n` (1-based) of the body textarea and scroll it into view.
  function gotoLine(n) {
    var area = bodyField();
    if (!area || !n) { return; }
    var lines = area.value.split("\n");
    var start = 0;
    for (var i = 0; i < n - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
    var end = start + (lines[n - 1] || "").length;
    area.focus();
    area.setSelectionRange(start, end);
    var lineHeight = parseFloat(window.getComputedStyle(area).lineHeight) || 20;
    area.scrollTop = Math.max(0, (n - 3) * lineHeight);
  }

  document.addEventListener("click", function (evt) {
    var link = evt.target.closest("[data-goto-line]");
    if (link) {
      evt.preventDefault();
      gotoLine(parseInt(link.getAttribute("data-goto-line"), 10));
      return;
    }
    var para = evt.target.closest("#preview .sheet [data-line]");
    if (para && bodyField()) {
      gotoLine(parseInt(para.getAttribute("data-line"), 10));
    }
  });

  // Fields that only some kinds have (Kính gửi; the "V/v" prefix of a Công văn) follow the kind select.
  function applyKind(kind) {
    document.querySelectorAll("#document-form [data-kinds]").forEach(function (el) {
      var kinds = el.getAttribute("data-kinds").split(/\s+/);
      el.classList.toggle("hidden", kinds.indexOf(kind) === -1);
    });
    document.querySelectorAll("#document-form [data-kinds-class]").forEach(function (el) {
      var parts = el.getAttribute("data-kinds-class").split(":");
      el.classList.toggle(parts[1], parts[0].split(",").indexOf(kind) !== -1);
    });
  }

  document.addEventListener("change", function (evt) {
    if (evt.target.matches("#document-form select[name=kind]")) {
      applyKind(evt.target.value);
    }
  });

  // Enter in the "Dòng khác" box adds the line instead of saving the whole document.
  document.addEventListener("keydown", function (evt) {
    if (evt.key === "Enter" && evt.target.matches("#document-form input[name=add_text]")) {
      evt.preventDefault();
      var button = document.getElementById("add-text-button");
      if (button) { button.click(); }
    }
  });

  // Leaving the page with unsaved text asks first. A page sent back by the server with the person's text (a stale
  // save, a refused field) starts out unsaved; "Lưu" clears the flag as it submits.
  var form = document.getElementById("document-form");
  var unsaved = !!(form && form.hasAttribute("data-unsaved"));
  document.addEventListener("input", function (evt) {
    if (evt.target.closest("#document-form")) { unsaved = true; }
  });
  document.addEventListener("submit", function (evt) {
    if (evt.target.id === "document-form") { unsaved = false; }
  });
  window.addEventListener("beforeunload", function (evt) {
    if (unsaved) { evt.preventDefault(); evt.returnValue = ""; }
  });

  // A reviewer's comment beside the body: "Dòng N" selects that line in the text box and brings it into view.
  document.addEventListener("click", function (evt) {
    var ref = evt.target.closest("[data-goto-line]");
    var box = document.getElementById("body");
    if (!ref || !box) { return; }
    var wanted = parseInt(ref.getAttribute("data-goto-line"), 10);
    var lines = box.value.split("\n");
    if (wanted < 1 || wanted > lines.length) { return; }
    var start = 0;
    for (var i = 0; i < wanted - 1; i++) { start += lines[i].length + 1; }
    box.focus();
    box.setSelectionRange(start, start + lines[wanted - 1].length);
    var lineHeight = parseFloat(window.getComputedStyle(box).lineHeight) || 20;
    box.scrollTop = Math.max(0, (wanted - 3) * lineHeight);
  });

  // After the Nơi nhận picker is redrawn, keep the keyboard where the person was working.
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "recipients") {
      var box = document.getElementById("add-text");
      if (box && evt.detail.requestConfig && evt.detail.requestConfig.parameters &&
          evt.detail.requestConfig.parameters.op === "add-text") {
        box.focus();
      }
    }
  });
})();
