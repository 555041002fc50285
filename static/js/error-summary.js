/* The error summary at the top of a refused form (templates/partials/error_summary.html):
   scrolled into view and focused when the page loads, so a screen reader reads it and the
   user sees it without scrolling; its links move to the field and focus its input.
   A file of its own, not inline: the Content-Security-Policy allows no inline script. */
(function () {
  "use strict";
  if (window.sevaErrorSummary) return; // included once per refused form: run once
  window.sevaErrorSummary = true;

  function inputOf(target) {
    if (target.matches("input, select, textarea")) return target;
    return target.querySelector("input, select, textarea") || target;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    summary.scrollIntoView({ block: "start" });
    summary.focus({ preventScroll: true });
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    event.preventDefault();
    (target.closest(".field") || target).scrollIntoView({ block: "center" });
    inputOf(target).focus({ preventScroll: true });
  });
})();
