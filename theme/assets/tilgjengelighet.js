/* Erfaringsbank (issue 8): a table that is wider than the screen scrolls sideways inside its box.
   Such a box must be reachable by keyboard (WCAG 2.1.1), so it gets tabindex="0", the role
   «region» and a name from the table's caption. Only boxes that really scroll get a tab stop. */
(function () {
  var SELECTOR = ".md-typeset__scrollwrap, .md-typeset__table, .eb-tabell-rull";
  function mark() {
    // Inner boxes first: Material wraps our status tables in its own scroll boxes, and one tab
    // stop per table is enough — on the innermost box that scrolls. An outer box that scrolls
    // too then holds a focusable box, which is what a keyboard needs (axe:
    // scrollable-region-focusable).
    Array.prototype.slice.call(document.querySelectorAll(SELECTOR)).reverse().forEach(function (el) {
      var style = getComputedStyle(el);
      var scrolls = el.scrollWidth > el.clientWidth + 1 && /auto|scroll/.test(style.overflowX) &&
                    !el.querySelector("[data-eb-rull]");
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

/* Erfaringsbank (issue 8): the phone menu by keyboard. Material opens its drawer with
   <label for="__drawer">, which cannot get keyboard focus. With JavaScript we put a real
   <button> (Enter and Space work natively, aria-expanded tells screen readers the state) in
   the label's place; Escape closes the menu and gives focus back to the button. Without
   JavaScript the label still opens the menu by mouse or touch. The closed drawer is also
   `visibility: hidden` (erfaringsbank.css), so Tab no longer walks through its invisible links. */
(function () {
  var toggle = document.getElementById("__drawer");
  // A page opens with the menu closed: Firefox restores a ticked box on «back» (Material's
  // autocomplete="off" prevented that, but is invalid HTML on a checkbox: adapters/theme_fixes.py)
  ["__drawer", "__search"].forEach(function (id) {
    var box = document.getElementById(id);
    if (box && box.checked) { box.checked = false; }
  });
  var label = document.querySelector('label.md-header__button[for="__drawer"]');
  if (!toggle || !label || document.querySelector(".eb-menyknapp")) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "md-header__button md-icon eb-menyknapp";
  button.setAttribute("aria-label", "Meny");
  button.setAttribute("aria-expanded", "false");
  button.innerHTML = label.innerHTML;
  label.parentNode.insertBefore(button, label);
  label.style.display = "none";   // Material's .md-header__button display would beat [hidden]
  function sync() { button.setAttribute("aria-expanded", toggle.checked ? "true" : "false"); }
  function set(open) {
    if (toggle.checked !== open) {
      toggle.checked = open;
      toggle.dispatchEvent(new Event("change", { bubbles: true }));  // Material locks scrolling
    }
    sync();
  }
  button.addEventListener("click", function () {
    set(!toggle.checked);
    if (toggle.checked) {
      var first = document.querySelector(".md-sidebar--primary .md-nav__list a.md-nav__link[href]");
      if (first) { first.focus(); }
    }
  });
  toggle.addEventListener("change", sync);
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && toggle.checked) { set(false); button.focus(); }
  });
  // Tab past the last link of the open menu closes it, so focus never goes on behind the overlay.
  document.addEventListener("focusin", function (ev) {
    if (toggle.checked && ev.target !== button && !ev.target.closest(".md-sidebar--primary")) { set(false); }
  });
})();
