// The import review: a task and the lines of the document it was read from light up together. Without this
// script the "Dòng 12–14" links still jump to the lines, and every correction is a plain form post.
(function () {
  "use strict";

  function range(article) {
    var parts = (article.getAttribute("data-lines") || "").split("-");
    var first = parseInt(parts[0], 10), last = parseInt(parts[1], 10);
    return isNaN(first) || isNaN(last) ? null : [first, last];
  }

  function clearLit() {
    document.querySelectorAll(".source-lines li.is-lit").forEach(function (li) { li.classList.remove("is-lit"); });
    document.querySelectorAll(".import-task.is-active").forEach(function (a) { a.classList.remove("is-active"); });
  }

  // Light the task's lines and scroll the text (only the text's own box, never the page) to the first of them.
  function show(article) {
    clearLit();
    article.classList.add("is-active");
    var lines = range(article);
    if (!lines) { return; }
    var first = null;
    for (var n = lines[0]; n <= lines[1]; n++) {
      var li = document.getElementById("L" + n);
      if (li) { li.classList.add("is-lit"); first = first || li; }
    }
    var box = document.getElementById("source-lines");
    if (first && box) {
      box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - box.clientHeight / 3);
    }
  }

  // Lines that a task to be saved comes from are marked; dropping a task unmarks its lines.
  function markCovered() {
    var covered = {};
    document.querySelectorAll(".import-task").forEach(function (article) {
      var include = article.querySelector('input[name$="-include"]');
      var lines = range(article);
      article.classList.toggle("is-dropped", !!include && !include.checked);
      if (!lines || (include && !include.checked)) { return; }
      for (var n = lines[0]; n <= lines[1]; n++) { covered[n] = true; }
    });
    document.querySelectorAll(".source-lines li").forEach(function (li) {
      li.classList.toggle("in-task", !!covered[li.id.slice(1)]);
    });
  }

  document.addEventListener("click", function (evt) {
    var link = evt.target.closest(".task-lines");
    var article = evt.target.closest(".import-task");
    if (article) {
      if (link) { evt.preventDefault(); }
      show(article);
      return;
    }
    // A line of the text: show the first task read from it.
    var li = evt.target.closest(".source-lines li");
    if (li) {
      var n = parseInt(li.id.slice(1), 10);
      var found = Array.prototype.find.call(document.querySelectorAll(".import-task"), function (a) {
        var lines = range(a);
        return lines && lines[0] <= n && n <= lines[1];
      });
      if (found) {
        show(found);
        found.scrollIntoView({ block: "nearest" });
      }
    }
  });

  document.addEventListener("focusin", function (evt) {
    var article = evt.target.closest && evt.target.closest(".import-task");
    if (article && !article.classList.contains("is-active")) { show(article); }
  });

  document.addEventListener("change", function (evt) {
    if (evt.target.name && /^task-\d+-include$/.test(evt.target.name)) { markCovered(); }
  });

  function ready() {
    markCovered();
    // A name's unit is given to its tasks as soon as it is chosen: the button that does it without a script goes.
    document.querySelectorAll(".import-names .no-script").forEach(function (b) { b.classList.add("hidden"); });
  }

  // htmx:load comes with the tasks redrawn after a split, a merge or a mapping (htmx's own start may come before
  // this script is read, so the page's start is DOMContentLoaded).
  document.addEventListener("htmx:load", ready);
  document.addEventListener("DOMContentLoaded", function () {
    ready();
    // The text opens where the first task was read, not at the letterhead.
    var box = document.getElementById("source-lines");
    var first = box && box.querySelector("li.in-task");
    if (first) { box.scrollTop = Math.max(0, first.offsetTop - box.offsetTop - 16); }
  });
})();
