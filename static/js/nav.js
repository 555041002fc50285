/* The phone menu (templates/partials/nav.html): the "more" button opens and closes the rest of
   the menu. Without this script the whole menu shows, wrapped: nothing is lost. */
(function () {
  "use strict";
  var nav = document.getElementById("nav");
  if (!nav) return;
  var toggle = nav.querySelector(".nav-toggle");
  var more = document.getElementById("nav-more");
  if (!toggle || !more) return;
  nav.classList.add("js-nav");
  function set(open) {
    nav.classList.toggle("open", open);
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  toggle.addEventListener("click", function () {
    set(toggle.getAttribute("aria-expanded") !== "true");
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && nav.classList.contains("open")) {
      set(false);
      toggle.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (nav.classList.contains("open") && !nav.contains(event.target)) set(false);
  });
})();
