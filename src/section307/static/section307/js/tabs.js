// Workspace sections as tabs (WAI-ARIA tabs pattern, automatic activation).
// Without this script the same markup is an in-page side navigation to sections that all show.
(function () {
  "use strict";

  function panelFor(root, id) {
    var el = id ? document.getElementById(id) : null;
    return el && el.parentElement && el.matches("[data-s307-panel]") && root.contains(el) ? el : null;
  }

  function panelContaining(root, el) {
    while (el && el !== root) {
      if (el.matches && el.matches("[data-s307-panel]")) return el;
      el = el.parentElement;
    }
    return null;
  }

  function setup(root) {
    var list = root.querySelector("[data-s307-tablist]");
    if (!list) return;
    var tabs = Array.prototype.slice.call(list.querySelectorAll("a[href^='#']"));
    var panels = [];
    tabs.forEach(function (tab) {
      var panel = panelFor(root, tab.getAttribute("href").slice(1));
      if (!panel) return;
      panels.push(panel);
      tab.id = tab.id || "tab-" + panel.id;
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panel.id);
      tab.parentElement.setAttribute("role", "presentation");
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", tab.id);
      panel.setAttribute("tabindex", "0");
    });
    if (!panels.length) return;
    list.setAttribute("role", "tablist");
    root.classList.add("s307-tabs--ready");

    function select(panel, focus) {
      tabs.forEach(function (tab) {
        var on = tab.getAttribute("aria-controls") === panel.id;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.setAttribute("tabindex", on ? "0" : "-1");
        if (on && focus) tab.focus();
      });
      panels.forEach(function (p) { p.hidden = p !== panel; });
    }

    function fromHash() {
      var id = decodeURIComponent(window.location.hash.slice(1));
      if (!id) return null;
      var target = document.getElementById(id);
      return target ? panelContaining(root, target) : null;
    }

    list.addEventListener("click", function (event) {
      var tab = event.target.closest("[role=tab]");
      if (!tab) return;
      event.preventDefault();
      var panel = document.getElementById(tab.getAttribute("aria-controls"));
      select(panel, true);
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + panel.id);
      }
    });

    list.addEventListener("keydown", function (event) {
      var current = tabs.indexOf(document.activeElement);
      if (current < 0) return;
      var next = null;
      if (event.key === "ArrowRight" || event.key === "ArrowDown") next = (current + 1) % tabs.length;
      else if (event.key === "ArrowLeft" || event.key === "ArrowUp") next = (current - 1 + tabs.length) % tabs.length;
      else if (event.key === "Home") next = 0;
      else if (event.key === "End") next = tabs.length - 1;
      if (next === null) return;
      event.preventDefault();
      var panel = document.getElementById(tabs[next].getAttribute("aria-controls"));
      select(panel, true);
      if (window.history && window.history.replaceState) {
        window.history.replaceState(null, "", "#" + panel.id);
      }
    });

    window.addEventListener("hashchange", function () {
      var panel = fromHash();
      if (panel) {
        select(panel, false);
        var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
        if (target && target !== panel) target.scrollIntoView();
      }
    });

    // Start on the section the address points to, else the one holding a form with errors, else the first.
    var start = fromHash();
    if (!start) {
      var flagged = root.querySelector(".usa-form-group--error, .usa-input--error, [data-s307-open]");
      start = flagged ? panelContaining(root, flagged) : null;
    }
    select(start || panels[0], false);
    if (start && window.location.hash) {
      var target = document.getElementById(decodeURIComponent(window.location.hash.slice(1)));
      if (target) target.scrollIntoView();
    }
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-s307-tabs]"), setup);
})();
