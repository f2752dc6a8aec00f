// Forms typed on a phone (the units' task updates and report): what is typed is kept in this browser until the
// server confirms it, so a lost connection or an ended session loses nothing; files are checked for size before
// they are sent over a slow line. Without this script the forms work the same, without the safety net.
//
// A form with data-draft="<user>:<form>:<record>" is saved to localStorage on every change and filled back on
// load (files cannot be kept: the note says so). An element with data-draft-clear="<key>" (the server drew it
// after a confirmed save) removes that draft.
(function () {
  "use strict";

  var PREFIX = "vanban:draft:";
  var SKIP = { file: true, hidden: true, submit: true, button: true, reset: true, password: true };

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.type] && el.name !== "csrf_token";
    });
  }

  function snapshot(form) {
    var data = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!data[el.name]) { data[el.name] = []; }
        if (el.checked) { data[el.name].push(el.value); }
      } else {
        data[el.name] = el.value;
      }
    });
    return data;
  }

  function save(form) {
    var s = store();
    if (!s) { return; }
    try {
      s.setItem(PREFIX + form.getAttribute("data-draft"), JSON.stringify({ at: Date.now(), fields: snapshot(form) }));
    } catch (e) { /* storage full or refused: the form still works */ }
  }

  function read(key) {
    var s = store();
    if (!s) { return null; }
    try { return JSON.parse(s.getItem(PREFIX + key) || "null"); } catch (e) { return null; }
  }

  function forget(key) {
    var s = store();
    if (s) { s.removeItem(PREFIX + key); }
  }

  function hhmm(ms) {
    var d = new Date(ms);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2);
  }

  function fill(form, data) {
    var changed = false;
    fields(form).forEach(function (el) {
      if (!(el.name in data)) { return; }
      var value = data[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var on = value.indexOf(el.value) !== -1;
        if (el.checked !== on) { el.checked = on; changed = true; }
      } else if (el.value !== value) {
        el.value = value;
        changed = true;
      }
      el.dispatchEvent(new Event("change", { bubbles: true }));
    });
    return changed;
  }

  function note(form, text, withDiscard) {
    var box = form.querySelector(".draft-note");
    if (!box) {
      box = document.createElement("div");
      box.className = "draft-note";
      box.setAttribute("role", "status");
      form.insertBefore(box, form.firstChild);
    }
    box.textContent = text + " ";
    if (withDiscard) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "link draft-discard";
      button.textContent = "Bỏ nội dung này";
      button.addEventListener("click", function () {
        forget(form.getAttribute("data-draft"));
        form.reset();
        fields(form).forEach(function (el) { el.dispatchEvent(new Event("change", { bubbles: true })); });
        box.parentNode.removeChild(box);
      });
      box.appendChild(button);
    }
    return box;
  }

  function restore(form) {
    var draft = read(form.getAttribute("data-draft"));
    if (!draft || !draft.fields || !fill(form, draft.fields)) { return; }
    var details = form.closest("details");
    if (details) { details.open = true; }
    note(form, "Đã khôi phục nội dung đang soạn dở (giữ trên máy này lúc " + hhmm(draft.at) +
         "), chưa gửi. Ảnh và tệp đã chọn trước đó cần chọn lại.", true);
  }

  function start(root) {
    root.querySelectorAll("[data-draft-clear]").forEach(function (el) { forget(el.getAttribute("data-draft-clear")); });
    if (root.matches && root.matches("form[data-draft]")) { restore(root); }
    root.querySelectorAll("form[data-draft]").forEach(restore);
  }

  function draftForm(el) {
    return el && el.closest ? el.closest("form[data-draft]") : null;
  }

  document.addEventListener("input", function (evt) {
    var form = draftForm(evt.target);
    if (form) { save(form); }
  });
  document.addEventListener("change", function (evt) {
    var form = draftForm(evt.target);
    if (form && evt.isTrusted) { save(form); }
  });

  // Files: one too large is refused here, before minutes of upload on a phone line (the server checks again).
  document.addEventListener("change", function (evt) {
    var input = evt.target;
    if (input.type !== "file" || !input.hasAttribute("data-max-bytes")) { return; }
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    var big = Array.prototype.filter.call(input.files || [], function (f) { return f.size > max; });
    var field = input.closest(".field");
    var old = field && field.querySelector(".error.client");
    if (old) { old.parentNode.removeChild(old); }
    if (!big.length) { return; }
    input.value = "";
    var msg = document.createElement("p");
    msg.className = "error client";
    msg.setAttribute("role", "alert");
    msg.textContent = "“" + big[0].name + "” quá lớn (" + (big[0].size / 1048576).toFixed(1).replace(".", ",") +
      " MB); mỗi tệp tối đa " + Math.round(max / 1048576) + " MB. Hãy chọn ảnh hoặc tệp khác.";
    (field || input.parentNode).appendChild(msg);
  });

  // No network: say so at once instead of a browser error page; the draft is already kept.
  document.addEventListener("submit", function (evt) {
    var form = draftForm(evt.target);
    if (form && navigator.onLine === false) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
      note(form, "Chưa có kết nối mạng nên chưa gửi được. Nội dung vẫn được giữ trên máy này; hãy gửi lại khi có mạng.",
           false);
    }
  }, true);
  document.addEventListener("htmx:sendError", function (evt) {
    var form = draftForm(evt.detail.elt);
    if (form) {
      note(form, "Mất kết nối nên chưa gửi được. Nội dung vẫn được giữ trên máy này; hãy bấm gửi lại khi có mạng.",
           false);
    }
  });

  // htmx:load fires for the page and for every fragment swapped in (a task's refreshed card).
  document.addEventListener("htmx:load", function (evt) { start(evt.detail.elt); });
  document.addEventListener("DOMContentLoaded", function () { start(document); });
})();
