// The story page's graph: its claims as nodes coloured by camp, their links as edges styled by kind and status,
// drawn with the vendored Cytoscape.js from the story's graph.json. Without JavaScript (or if the data does
// not come) the figure stays hidden; the list of claims and links beside it says the same.
(function () {
  "use strict";

  var KIND_COLOURS = {
    contradicts: "#c62828",
    in_tension: "#e07b00",
    competing: "#7b1fa2",
    supports: "#2e7d32",
    repeats: "#1565c0",
    relays: "#00838f"
  };

  function style() {
    var rules = [
      {
        selector: "node",
        style: {
          "background-color": "data(colour)",
          "border-width": 1,
          "border-color": "#1d2329",
          label: "data(label)",
          "font-size": 9,
          color: "#1d2329",
          "text-valign": "bottom",
          "text-margin-y": 3,
          "text-wrap": "ellipsis",
          "text-max-width": 110,
          "text-background-color": "#ffffff",
          "text-background-opacity": 0.8,
          "text-background-padding": 1,
          width: 18,
          height: 18
        }
      },
      { selector: "node:selected", style: { "border-width": 3, "border-color": "#f0a500" } },
      {
        selector: "edge",
        style: {
          width: 2,
          "curve-style": "bezier",
          "line-color": "#555555",
          "target-arrow-color": "#555555",
          "line-style": "solid"
        }
      },
      { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
      { selector: "edge[status = 'proposed']", style: { "line-style": "dashed" } },
      { selector: "edge[status = 'rejected']", style: { "line-style": "dotted", opacity: 0.45 } }
    ];
    Object.keys(KIND_COLOURS).forEach(function (kind) {
      rules.splice(rules.length - 2, 0, {
        selector: "edge[kind = '" + kind + "']",
        style: { "line-color": KIND_COLOURS[kind], "target-arrow-color": KIND_COLOURS[kind] }
      });
    });
    rules.push({ selector: "edge[status = 'rejected']", style: { "line-color": "#b0b4ba", "target-arrow-color": "#b0b4ba" } });
    return rules;
  }

  function draw(container, data) {
    var elements = data.nodes.map(function (node) {
      return { group: "nodes", data: node };
    }).concat(data.edges.map(function (edge) {
      return { group: "edges", data: edge };
    }));
    var cy = window.cytoscape({
      container: container,
      elements: elements,
      style: style(),
      layout: { name: "cose", animate: false, randomize: true, nodeDimensionsIncludeLabels: true, padding: 20 },
      minZoom: 0.2,
      maxZoom: 4
    });
    cy.on("tap", "node, edge", function (event) {
      var url = event.target.data("url");
      if (url) {
        window.location.assign(url);
      }
    });
    cy.on("mouseover", "node", function (event) {
      container.title = event.target.data("speaker") + ": " + event.target.data("statement");
    });
    cy.on("mouseout", "node", function () {
      container.removeAttribute("title");
    });
    return cy;
  }

  function zoomBy(cy, factor) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  function start() {
    var container = document.getElementById("story-graph");
    var figure = container && container.closest("[data-graph-figure]");
    if (!container || !figure || typeof window.cytoscape !== "function") {
      return;
    }
    fetch(container.dataset.graphUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("graph data: " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        figure.hidden = false; // shown before drawing: Cytoscape measures its container
        var cy = draw(container, data);
        figure.querySelectorAll("[data-graph-zoom]").forEach(function (button) {
          button.addEventListener("click", function () {
            var how = button.dataset.graphZoom;
            if (how === "fit") {
              cy.fit(undefined, 20);
            } else {
              zoomBy(cy, how === "in" ? 1.25 : 0.8);
            }
          });
        });
        // The drawn graph, for the browser tests and anyone debugging in the console.
        window.storyGraph = cy;
        container.dataset.graphDrawn = "true";
      })
      .catch(function () {
        figure.hidden = true;
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
