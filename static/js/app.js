// factcheck's small layer over htmx: focus after swaps, request errors, and
// turning a text selection in an article into a new claim's quote and offsets, brought to the claim form.
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

  // Whole words: a selection that starts or ends inside a word takes the whole word. A word is letters, digits and
  // accents, with an apostrophe or hyphen between letters ("Guaido's", "pro-government") and a point or comma
  // between digits ("3.5", "1,000"). A line break is never part of a word: a word never reaches into another
  // paragraph.
  var LETTER = /[\p{L}\p{N}\p{M}]/u;
  function inWord(text, at) {
    var c = text.charAt(at);
    if (!c) return false;
    if (LETTER.test(c)) return true;
    var before = text.charAt(at - 1), after = text.charAt(at + 1);
    if (/['\u2019\u2010\u2011-]/.test(c)) return LETTER.test(before) && LETTER.test(after);
    if (/[.,]/.test(c)) return /\p{N}/u.test(before) && /\p{N}/u.test(after);
    return false;
  }

  // [start, end) of the text, without the white space at either end, widened to whole words; null if empty.
  function wholeWords(text, start, end) {
    while (start < end && /\s/.test(text.charAt(start))) start++;
    while (end > start && /\s/.test(text.charAt(end - 1))) end--;
    if (start === end) return null;
    while (start > 0 && inWord(text, start) && inWord(text, start - 1)) start--;
    while (end < text.length && inWord(text, end - 1) && inWord(text, end)) end++;
    return [start, end];
  }

  // The DOM point at `offset` in the article's text (the claim numbers left out): at a boundary between two text
  // nodes, the start of the next one, or with `atEnd` the end of the previous one.
  function pointAt(container, offset, atEnd) {
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement.closest("[data-not-text]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    var seen = 0, last = null;
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      var length = node.data.length;
      if (offset < seen + length || (atEnd && offset === seen + length)) return { node: node, offset: offset - seen };
      seen += length;
      last = node;
    }
    return last ? { node: last, offset: last.data.length } : null;
  }

  function articleSelection() {
    var container = document.querySelector("[data-article-text]");
    var selection = window.getSelection();
    if (!container || !selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    if (!container.contains(range.commonAncestorContainer)) return null;
    return { container: container, selection: selection, range: range };
  }

  // Take the selected passage, widened to whole words, as the new claim's quote and offset. With `widen`, the
  // selection on the screen is widened too (never narrowed, so a keyboard user can still move its ends).
  function captureSelection(widen) {
    var quoteField = document.getElementById("id_quote");
    var startField = document.getElementById("id_quote_start");
    var found = articleSelection();
    if (!quoteField || !startField || !found) return false;

    var whole = document.createRange();
    whole.selectNodeContents(found.container);
    var text = articleText(whole);
    var before = document.createRange();
    before.setStart(found.container, 0);
    before.setEnd(found.range.startContainer, found.range.startOffset);
    var from = articleText(before).length;
    var to = from + articleText(found.range).length;
    var words = wholeWords(text, from, to);
    if (!words) return false;

    var quote = text.slice(words[0], words[1]);
    var start = String(codePoints(text.slice(0, words[0])));
    var widened = words[0] < from || words[1] > to;
    if (widen && widened) showOnScreen(found, Math.min(from, words[0]), Math.max(to, words[1]));
    // The same selection seen again (its selectionchange, a key let go) is not announced again.
    if (quoteField.value === quote && startField.value === start) return true;
    quoteField.value = quote;
    startField.value = start;
    quoteField.dispatchEvent(new Event("change", { bubbles: true }));
    var hint = document.getElementById("selection-status");
    if (hint) {
      hint.textContent = "Quote taken from your selection" + (widened ? ", widened to whole words" : "") +
        " (" + codePoints(quote) + " characters). Press Enter or “Quote this as a claim” to write the claim.";
    }
    return true;
  }

  function showOnScreen(found, from, to) {
    var start = pointAt(found.container, from, false);
    var end = pointAt(found.container, to, true);
    if (!start || !end) return;
    var selection = found.selection;
    var focus = document.createRange();
    focus.setStart(selection.focusNode, selection.focusOffset);
    if (focus.comparePoint(selection.anchorNode, selection.anchorOffset) > 0) { // selected backwards: keep it so
      selection.setBaseAndExtent(end.node, end.offset, start.node, start.offset);
    } else {
      selection.setBaseAndExtent(start.node, start.offset, end.node, end.offset);
    }
  }

  // The button beside the selection that brings the new claim form to it.
  function quoteButton() {
    return document.querySelector("[data-quote-selection]");
  }

  // The button has no id and loses its place when hidden: htmx, swapping the workspace, copies the attributes of
  // an old element with an id to the new one, and a style attribute there breaks the Content Security Policy.
  function hideQuoteButton() {
    var button = quoteButton();
    if (!button) return;
    button.hidden = true;
    button.removeAttribute("style");
  }

  function placeQuoteButton() {
    var button = quoteButton();
    var found = articleSelection();
    if (!button || !found) return;
    var rects = found.range.getClientRects();
    if (!rects.length) return;
    var last = rects[rects.length - 1];
    button.hidden = false;
    var column = button.offsetParent || button.parentElement;
    var area = column.getBoundingClientRect();
    var left = last.right - area.left - button.offsetWidth / 2;
    button.style.left = Math.max(0, Math.min(left, area.width - button.offsetWidth)) + "px";
    button.style.top = (last.bottom - area.top + 6) + "px";
  }

  function bringClaimForm() {
    var region = document.getElementById("claim-form-region");
    var statement = document.getElementById("id_statement");
    if (!region || !statement) return;
    hideQuoteButton();
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    region.classList.remove("brought");
    void region.offsetWidth; // restart the highlight
    region.classList.add("brought");
    region.scrollIntoView({ block: "start", behavior: still ? "auto" : "smooth" });
    statement.focus({ preventScroll: true });
  }

  function selected(widen) {
    if (captureSelection(widen)) placeQuoteButton();
  }

  var pointerDown = false;
  document.addEventListener("pointerdown", function (event) {
    pointerDown = true;
    if (!(event.target.closest && event.target.closest("[data-quote-selection]"))) hideQuoteButton();
  });
  document.addEventListener("pointerup", function () { pointerDown = false; });
  document.addEventListener("mouseup", function (event) {
    pointerDown = false;
    if (event.target.closest && event.target.closest("[data-quote-selection]")) return;
    selected(true);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key === "Shift") {
      selected(true); // a keyboard selection is complete when Shift is let go
    } else if (event.shiftKey) {
      selected(false);
    } else if (event.key === "Escape") {
      hideQuoteButton();
    }
  });
  // A selection made by touch (its handles dragged) or by other means: taken once it rests.
  var resting = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(resting);
    resting = setTimeout(function () {
      if (!pointerDown) selected(false);
    }, 300);
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-quote-selection]")) bringClaimForm();
  });
  // Enter while a passage is selected (and no link or control has the focus) brings the form, as the button does.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || event.defaultPrevented || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    var active = document.activeElement;
    if (active && active.closest && active.closest("a, button, input, select, textarea, summary, [contenteditable]")) return;
    var button = quoteButton();
    if (button && !button.hidden && articleSelection()) {
      event.preventDefault();
      bringClaimForm();
    }
  });
  // The article text swapped by a colleague's change: the selection is gone, and the button with it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && (target.id === "article-text" || target.id === "workspace")) hideQuoteButton();
  });

  // The main menu (a disclosure on a phone) folds again at a click elsewhere.
  document.addEventListener("pointerdown", function (event) {
    var open = document.querySelector("details.menu[open]");
    if (open && !open.contains(event.target)) open.open = false;
  });
  // Escape folds it and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var menu = event.target.closest && event.target.closest("details.menu[open]");
    if (menu) {
      menu.open = false;
      menu.querySelector("summary").focus();
    }
  });

  // Typing in the quote box by hand: the offsets of an earlier selection no longer apply.
  document.addEventListener("input", function (event) {
    if (event.target.id === "id_quote") {
      var startField = document.getElementById("id_quote_start");
      if (startField) startField.value = "";
    }
  });
})();
