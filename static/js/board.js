// The review board: drag a card to another column. The drop sends the card's own "Move to" form (the request a
// keyboard user sends with its select and button), so the server decides and the board comes back with the move
// announced in its live region.
(function () {
  "use strict";

  var dragged = null;

  function columnOf(node) {
    return node && node.closest ? node.closest("[data-board] [data-status]") : null;
  }

  function highlight(column) {
    document.querySelectorAll("[data-board] .drop-here").forEach(function (node) {
      if (node !== column) node.classList.remove("drop-here");
    });
    if (column) column.classList.add("drop-here");
  }

  function announce(text) {
    var region = document.getElementById("board-announce");
    if (!region) return;
    var line = document.createElement("p");
    line.className = "message error";
    line.textContent = text;
    region.replaceChildren(line);
  }

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-move-card]");
    if (!card) return;
    dragged = card;
    card.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.id);
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    highlight(null);
  });

  document.addEventListener("dragover", function (event) {
    var column = dragged ? columnOf(event.target) : null;
    if (!column || column.contains(dragged)) {
      highlight(null);
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    highlight(column);
  });

  document.addEventListener("drop", function (event) {
    var column = dragged ? columnOf(event.target) : null;
    if (!column || column.contains(dragged)) return;
    event.preventDefault();
    highlight(null);
    var form = dragged.querySelector("form.card-move");
    var select = form && form.querySelector("select[name=status]");
    var status = column.getAttribute("data-status");
    if (!select) return;
    if (!select.querySelector("option[value=\"" + CSS.escape(status) + "\"]")) {
      announce("A link is not published: only a claim's review is.");
      return;
    }
    select.value = status;
    form.requestSubmit();
  });
})();
