// factcheck's small layer over htmx: focus after swaps, request errors, and
// turning a text selection in an article into a new claim's quote and offsets.
(function () {
  "use strict";

  // After htmx swaps in new content, put the keyboard focus where the user works next.
  document.addEventListener("htmx:afterSettle", function (event) {
    var root = event.detail.elt;
    var target = root && root.matches && root.matches("[data-autofocus]") ? root : root && root.querySelector && root.querySelector("[data-autofocus]");
    if (!target) {
      target = document.querySelector("[data-autofocus]");
    }
    if (target) {
      target.focus();
      refocus = null; // the mark wins over putting the focus back where it was (below)
      // The first mark wins; the others go too, or a later swap (a poll) would move the focus to them.
      document.querySelectorAll("[data-autofocus]").forEach(function (node) {
        node.removeAttribute("data-autofocus");
      });
    }
  });

  // A live region refreshed by polling must not take the keyboard focus away:
  // if the focus was inside it, put it back on the same link or button afterwards.
  var refocus = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var region = event.detail.target;
    var active = document.activeElement;
    refocus = null;
    if (region && active && active !== document.body && region.contains(active)) {
      refocus = active.id ? "#" + CSS.escape(active.id)
        : active.getAttribute("href") ? "[href=\"" + CSS.escape(active.getAttribute("href")) + "\"]"
        : null;
    }
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (refocus && !document.querySelector("[data-autofocus]")) {
      var again = document.querySelector(refocus);
      if (again) again.focus();
    }
    refocus = null;
  });

  // A live region's poll must never undo what the user is doing inside it: while a request the user made
  // from inside a region is in flight, the region's polls are not sent, and a poll already on its way is
  // not swapped in (nor is one whose region the user's request has meanwhile replaced).
  function liveRegionOf(elt) {
    return elt && elt.closest ? elt.closest("[data-live]") : null;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt.hasAttribute && elt.hasAttribute("data-live")) {
      if (elt.factcheckUserRequests) event.preventDefault();
      return;
    }
    var region = liveRegionOf(elt);
    if (region) region.factcheckUserRequests = (region.factcheckUserRequests || 0) + 1;
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    var region = elt.hasAttribute && elt.hasAttribute("data-live") ? null : liveRegionOf(elt);
    if (region && region.factcheckUserRequests) region.factcheckUserRequests -= 1;
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    // detail.elt is where the event fires (the swap's target); the requesting element is in requestConfig.
    var elt = event.detail.requestConfig ? event.detail.requestConfig.elt : event.detail.elt;
    if (elt.hasAttribute && elt.hasAttribute("data-live") && (!elt.isConnected || elt.factcheckUserRequests)) {
      event.detail.shouldSwap = false;
    }
  });

  function showRequestError(text) {
    var box = document.getElementById("request-error");
    if (!box) return;
    box.textContent = text;
    box.hidden = false;
  }

  document.addEventListener("htmx:beforeRequest", function () {
    var box = document.getElementById("request-error");
    if (box) box.hidden = true;
  });

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    if (status === 403) {
      showRequestError("You are not allowed to make this change.");
    } else if (status === 404) {
      showRequestError("That item no longer exists. Reload the page to see the current state.");
    } else {
      showRequestError("Something went wrong on the server (" + status + "). Nothing was changed; please try again.");
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showRequestError("The server could not be reached. Check your connection and try again.");
  });

  // Text of a range inside the article, leaving out the claim numbers shown in it.
  function articleText(range) {
    var fragment = range.cloneContents();
    fragment.querySelectorAll("[data-not-text]").forEach(function (node) { node.remove(); });
    return fragment.textContent;
  }

  // The server counts characters (code points); the DOM counts UTF-16 units.
  function codePoints(text) {
    return Array.from(text).length;
  }

  function captureSelection() {
    var container = document.querySelector("[data-article-text]");
    var quoteField = document.getElementById("id_quote");
    var startField = document.getElementById("id_quote_start");
    var selection = window.getSelection();
    if (!container || !quoteField || !startField || !selection || selection.rangeCount === 0 || selection.isCollapsed) {
      return;
    }
    var range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return;

    var before = document.createRange();
    before.setStart(container, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var prefix = articleText(before);
    var selected = articleText(range);
    var leading = selected.length - selected.replace(/^\s+/, "").length;
    var quote = selected.trim();
    if (!quote) return;

    quoteField.value = quote;
    startField.value = codePoints(prefix + selected.slice(0, leading));
    quoteField.dispatchEvent(new Event("change", { bubbles: true }));
    var hint = document.getElementById("selection-status");
    if (hint) hint.textContent = "Quote taken from your selection (" + codePoints(quote) + " characters). Now write the statement.";
  }

  document.addEventListener("mouseup", function (event) {
    if (event.target.closest && event.target.closest("[data-article-text]")) captureSelection();
  });
  document.addEventListener("keyup", function (event) {
    if (event.shiftKey && event.target.closest && event.target.closest("[data-article-text]")) captureSelection();
  });

  // Typing in the quote box by hand: the offsets of an earlier selection no longer apply.
  document.addEventListener("input", function (event) {
    if (event.target.id === "id_quote") {
      var startField = document.getElementById("id_quote_start");
      if (startField) startField.value = "";
    }
  });
})();
