/* Erfaringsbank (issue 8): a table that is wider than the screen scrolls sideways inside its box.
   Such a box must be reachable by keyboard (WCAG 2.1.1), so it gets tabindex="0", the role
   «region» and a name from the table's caption. Only boxes that really scroll get a tab stop. */
(function () {
  var SELECTOR = ".md-typeset__scrollwrap, .md-typeset__table, .eb-tabell-rull";
  function mark() {
    document.querySelectorAll(SELECTOR).forEach(function (el) {
      var style = getComputedStyle(el);
      var scrolls = el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(style.overflowX);
      if (scrolls && !el.hasAttribute("tabindex")) {
        var caption = el.querySelector("caption");
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", (caption ? caption.textContent.trim() + " – " : "") +
                        "tabell, kan rulles sidelengs");
        el.dataset.ebRull = "1";
      } else if (!scrolls && el.dataset.ebRull) {
        el.removeAttribute("tabindex"); el.removeAttribute("role"); el.removeAttribute("aria-label");
        delete el.dataset.ebRull;
      }
    });
  }
  if (typeof document$ !== "undefined") { document$.subscribe(function () { setTimeout(mark, 0); }); }
  else { document.addEventListener("DOMContentLoaded", mark); }
  window.addEventListener("resize", mark);
})();
