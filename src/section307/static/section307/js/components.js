// Progressive enhancements that work on any page: stacked tables on small screens and the filtered
// multi-select. Without script, tables scroll inside their container and selects are plain selects.
(function () {
  "use strict";

  // ---- Tables: label each cell with its column heading so USWDS can stack rows below 480 px.
  function stackTable(table) {
    if (table.hasAttribute("data-s307-no-stack") || !table.tHead) return;
    var headRow = table.tHead.rows[table.tHead.rows.length - 1];
    if (!headRow) return;
    var labels = [];
    Array.prototype.forEach.call(headRow.cells, function (cell) {
      var span = cell.colSpan || 1;
      for (var i = 0; i < span; i++) labels.push(cell.textContent.replace(/\s+/g, " ").trim());
    });
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var col = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          if (!cell.hasAttribute("data-label") && cell.colSpan === 1 && labels[col]) {
            cell.setAttribute("data-label", labels[col]);
          }
          col += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("usa-table--stacked");
  }
  Array.prototype.forEach.call(document.querySelectorAll("main table.usa-table"), stackTable);

  // ---- Filtered multi-select with removable chips (combo box pattern, listbox with multiple choice).
  var counter = 0;

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, key) { return values[key]; });
  }

  function setupMulti(wrapper) {
    var select = wrapper.querySelector("select[multiple]");
    if (!select || wrapper.classList.contains("s307-multiselect--ready")) return;
    counter += 1;
    var base = (select.id || "s307-ms-" + counter);
    var t = wrapper.dataset;
    var label = select.id ? document.querySelector("label[for='" + select.id + "']") : null;

    var combo = document.createElement("div");
    combo.className = "s307-multiselect__combo";
    var input = document.createElement("input");
    input.type = "text";
    input.className = "usa-input";
    input.id = base + "-filter";
    input.setAttribute("role", "combobox");
    input.setAttribute("autocomplete", "off");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", base + "-listbox");
    var hint = document.createElement("span");
    hint.className = "usa-hint display-block";
    hint.id = base + "-filter-hint";
    hint.textContent = t.labelFilter;
    var described = [hint.id];
    var existing = select.getAttribute("aria-describedby");
    if (existing) described.unshift(existing);
    input.setAttribute("aria-describedby", described.join(" "));
    if (select.required) input.setAttribute("aria-required", "true");
    if (select.getAttribute("aria-invalid")) input.setAttribute("aria-invalid", select.getAttribute("aria-invalid"));
    var listbox = document.createElement("ul");
    listbox.className = "s307-multiselect__list";
    listbox.id = base + "-listbox";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-multiselectable", "true");
    listbox.hidden = true;
    if (label) {
      label.id = label.id || base + "-label";
      label.setAttribute("for", input.id);
      listbox.setAttribute("aria-labelledby", label.id);
    }
    combo.appendChild(input);
    combo.appendChild(listbox);

    var chipsHeading = document.createElement("p");
    chipsHeading.className = "usa-sr-only";
    chipsHeading.id = base + "-chosen";
    chipsHeading.textContent = (label ? label.textContent.trim() + ": " : "") + t.labelChosen;
    var chips = document.createElement("ul");
    chips.className = "s307-multiselect__chips";
    chips.setAttribute("aria-labelledby", chipsHeading.id);
    var status = document.createElement("p");
    status.className = "usa-sr-only";
    status.setAttribute("role", "status");

    var nojs = wrapper.querySelector(".s307-multiselect__nojs");
    if (nojs) nojs.remove();
    // Chosen items first, then the filter box: an open option list never covers the chips.
    wrapper.insertBefore(hint, select);
    wrapper.insertBefore(chipsHeading, select);
    wrapper.insertBefore(chips, select);
    wrapper.insertBefore(combo, select);
    wrapper.appendChild(status);
    select.setAttribute("tabindex", "-1");
    select.setAttribute("aria-hidden", "true");
    wrapper.classList.add("s307-multiselect--ready");

    var options = Array.prototype.slice.call(select.options);
    var shown = [];
    var active = -1;

    function announce(text) { status.textContent = text; }

    function renderChips() {
      chips.innerHTML = "";
      var chosen = options.filter(function (o) { return o.selected; });
      if (!chosen.length) {
        var none = document.createElement("li");
        none.className = "text-base-dark";
        none.textContent = t.labelNone;
        chips.appendChild(none);
      }
      chosen.forEach(function (option) {
        var li = document.createElement("li");
        li.className = "s307-multiselect__chip";
        var text = document.createElement("span");
        text.textContent = option.text;
        var remove = document.createElement("button");
        remove.type = "button";
        remove.setAttribute("aria-label", t.labelRemove + " " + option.text);
        remove.textContent = "\u00d7";
        remove.addEventListener("click", function () {
          option.selected = false;
          select.dispatchEvent(new Event("change", { bubbles: true }));
          renderChips();
          renderList();
          announce(fill(t.labelRemoved, { name: option.text }));
          input.focus();
        });
        li.appendChild(text);
        li.appendChild(remove);
        chips.appendChild(li);
      });
    }

    function renderList() {
      var query = fold(input.value.trim());
      listbox.innerHTML = "";
      shown = options.filter(function (o) { return !o.disabled && o.value !== "" && (!query || fold(o.text).indexOf(query) !== -1); });
      shown.forEach(function (option, index) {
        var li = document.createElement("li");
        li.id = base + "-opt-" + index;
        li.className = "s307-multiselect__option" + (index === active ? " s307-multiselect__option--focused" : "");
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", option.selected ? "true" : "false");
        li.textContent = (option.selected ? "\u2713 " : "") + option.text;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); });
        li.addEventListener("click", function () { toggle(index); });
        listbox.appendChild(li);
      });
      if (active >= 0 && active < shown.length) {
        input.setAttribute("aria-activedescendant", base + "-opt-" + active);
        var el = document.getElementById(base + "-opt-" + active);
        if (el && el.scrollIntoView) el.scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      listbox.hidden = false;
      input.setAttribute("aria-expanded", "true");
      renderList();
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function toggle(index) {
      var option = shown[index];
      if (!option) return;
      option.selected = !option.selected;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      announce(fill(option.selected ? t.labelAdded : t.labelRemoved, { name: option.text }));
      renderChips();
      // Ready for the next choice: the filter clears and the list closes.
      input.value = "";
      close();
    }

    input.addEventListener("input", function () {
      active = 0;
      open();
      announce(fill(t.labelMatches, { n: shown.length }));
    });
    input.addEventListener("focus", function () { /* opened on typing or arrow keys only */ });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (listbox.hidden) { active = 0; open(); return; }
        active = Math.min(active + 1, shown.length - 1);
        renderList();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        active = Math.max(active - 1, 0);
        renderList();
      } else if (event.key === "Enter") {
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();  // Enter chooses; it never submits the form from here.
          toggle(active);
        } else if (input.value) {
          event.preventDefault();
        }
      } else if (event.key === "Escape") {
        if (!listbox.hidden) { event.preventDefault(); close(); }
      } else if (event.key === "Backspace" && !input.value) {
        var chosen = options.filter(function (o) { return o.selected; });
        var last = chosen[chosen.length - 1];
        if (last) {
          last.selected = false;
          renderChips();
          announce(fill(t.labelRemoved, { name: last.text }));
        }
      }
    });

    renderChips();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-s307-multiselect]"), setupMulti);
})();
