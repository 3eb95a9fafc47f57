/* Baked mirror: fill [data-fragment] elements with the current Latest news and Must read.
   The fragment files sit below the language's front page; their links are relative to them. */
(function () {
  "use strict";
  var cache = {};
  function load(url) {
    if (!cache[url]) {
      cache[url] = fetch(url, { credentials: "omit", referrerPolicy: "no-referrer" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      });
    }
    return cache[url];
  }
  function fill(slot) {
    var url = new URL(slot.getAttribute("data-fragment"), window.location.href).href;
    load(url).then(function (html) {
      if (!slot.isConnected) return; // replaced meanwhile (Recommended to you found its picks)
      var doc = new DOMParser().parseFromString(html, "text/html");
      doc.querySelectorAll("[href]").forEach(function (el) { el.setAttribute("href", new URL(el.getAttribute("href"), url).href); });
      doc.querySelectorAll("[src]").forEach(function (el) { el.setAttribute("src", new URL(el.getAttribute("src"), url).href); });
      var parts = document.createDocumentFragment();
      Array.prototype.slice.call(doc.body.childNodes).forEach(function (node) { parts.appendChild(document.adoptNode(node)); });
      slot.replaceWith(parts);
    }).catch(function () { /* keep the links to the front page and the archive */ });
  }
  function start() { document.querySelectorAll("[data-fragment]").forEach(fill); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
