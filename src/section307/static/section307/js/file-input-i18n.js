// USWDS's file input writes its instructions and status in English from JavaScript. The page's
// own words (translated on the server) come in as data attributes on this script tag; this file
// puts them in place after USWDS has built the component, and again whenever USWDS rewrites them.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) {
    return;
  }
  var words = script.dataset;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? values[name] : whole;
    });
  }

  function names(input) {
    return Array.prototype.map.call(input.files || [], function (file) { return file.name; });
  }

  function statusText(input) {
    var chosen = names(input);
    var multiple = input.hasAttribute("multiple");
    if (chosen.length === 0) {
      return multiple ? words.s307TextNoFiles : words.s307TextNoFile;
    }
    if (chosen.length === 1) {
      return fill(words.s307TextSelectedOne, { name: chosen[0] });
    }
    return fill(words.s307TextSelectedMany, { count: String(chosen.length), names: chosen.join(", ") });
  }

  function instructionsText(box, input) {
    var drag = box.querySelector(".usa-file-input__instructions .usa-file-input__drag-text");
    var choose = box.querySelector(".usa-file-input__instructions .usa-file-input__choose");
    if (drag) {
      drag.textContent = input.hasAttribute("multiple") ? words.s307TextDragFiles : words.s307TextDragFile;
    }
    if (choose) {
      choose.textContent = drag ? words.s307TextChoose : words.s307TextChooseStart;
    }
    return (drag ? drag.textContent + " " : "") + (choose ? choose.textContent : "");
  }

  function afterChange(box, input) {
    var instructions = instructionsText(box, input);
    var count = (input.files || []).length;
    var heading = box.querySelector(".usa-file-input__preview-heading");
    if (heading && count > 0) {
      var change = count === 1 ? words.s307TextChangeFile : words.s307TextChangeFiles;
      var label = count === 1 ? words.s307TextSelectedFile : fill(words.s307TextFilesSelected, { count: String(count) });
      var link = document.createElement("span");
      link.className = "usa-file-input__choose";
      link.textContent = change;
      heading.textContent = label + " ";
      heading.appendChild(link);
      input.setAttribute("aria-label", change);
    } else if (box.classList.contains("has-invalid-file")) {
      input.setAttribute("aria-label", words.s307TextInvalidType + " " + instructions);
    } else {
      input.setAttribute("aria-label", instructions);
    }
  }

  function localize(input) {
    // Only inputs USWDS has enhanced: the input sits inside its generated .usa-file-input box.
    var box = input.parentElement ? input.parentElement.closest(".usa-file-input") : null;
    if (!box || box.dataset.s307Localized) {
      return;
    }
    box.dataset.s307Localized = "true";
    if (!input.dataset.errormessage) {
      input.dataset.errormessage = words.s307TextInvalidType;
    }
    var instructions = instructionsText(box, input);
    if (!box.querySelector(".usa-file-input__instructions[hidden]")) {
      input.setAttribute("aria-label", instructions);
    }
    var status = box.querySelector(".usa-sr-only[aria-live]");
    if (status) {
      status.textContent = statusText(input);
      // USWDS writes the status a second after each change; answer with the same facts in the page's language.
      new MutationObserver(function () {
        var wanted = statusText(input);
        if (status.textContent !== wanted) {
          status.textContent = wanted;
        }
      }).observe(status, { childList: true, characterData: true, subtree: true });
    }
    var instructionsEl = box.querySelector(".usa-file-input__instructions");
    if (instructionsEl) {
      // USWDS rebuilds the instructions when the pointer type changes (a tablet's keyboard attached, say).
      new MutationObserver(function () {
        var drag = instructionsEl.querySelector(".usa-file-input__drag-text");
        var expected = drag ? (input.hasAttribute("multiple") ? words.s307TextDragFiles : words.s307TextDragFile) : null;
        if (drag && drag.textContent !== expected) {
          instructionsText(box, input);
        }
      }).observe(instructionsEl, { childList: true });
    }
    input.addEventListener("change", function () { afterChange(box, input); });
  }

  function localizeAll() {
    document.querySelectorAll(".usa-file-input__input").forEach(localize);
  }

  // USWDS enhances file inputs on DOMContentLoaded; this listener is added after its own, so it runs after.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", localizeAll, { once: true });
  } else {
    localizeAll();
  }
  document.body.addEventListener("htmx:afterSettle", localizeAll);
})();
