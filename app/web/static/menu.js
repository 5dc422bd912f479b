/* Progressive enhancement: on narrow screens the header's menu folds behind its "Menu" button.
   Without JavaScript, or on wide screens, the menu is always open. */
(function () {
  "use strict";
  var menu = document.querySelector("details.site-menu");
  if (!menu || !window.matchMedia) { return; }
  var narrow = window.matchMedia("(max-width: 41.99rem)");
  function apply() { menu.open = !narrow.matches; }
  apply();
  if (narrow.addEventListener) { narrow.addEventListener("change", apply); }
})();
