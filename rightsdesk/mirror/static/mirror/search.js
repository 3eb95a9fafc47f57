/* Baked mirror: search with Pagefind's own interface and the index baked next to the pages.
   Everything is loaded from this copy of the site; the query never leaves the reader's browser. */
(function () {
  "use strict";
  var box = document.getElementById("mirror-search");
  if (!box || typeof PagefindUI === "undefined") return;
  var bundle = new URL(box.getAttribute("data-bundle"), window.location.href);
  var ui = new PagefindUI({
    element: "#mirror-search",
    // Results link below the folder that holds the index (Pagefind's default): the mirror's root.
    bundlePath: bundle.pathname,
    showImages: false,
    translations: { placeholder: box.getAttribute("data-placeholder") || "Search" }
  });
  var query = new URLSearchParams(window.location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
