/* Recommended to you, computed in the reader's browser.
 *
 * The ids (and features) of the last 50 articles opened are kept in this device's localStorage,
 * never in a cookie and never sent: the only request made is a plain GET of the site's public
 * recommendations file, the same for every reader. Unread articles are scored against the history
 * (shared terms and names, weighted towards what was read last, plus the article's recency) and
 * the best five replace the Must read list that the page shows without JavaScript.
 * No third-party code; no framework. See rightsdesk/related/recommend.py for the file's format.
 */
(function () {
  "use strict";

  var KEY = "rightsdesk.reading-history.v1";
  var MAX_HISTORY = 50;
  var SHOWN = 5;
  var READ_DECAY = 0.92;      // weight of the n-th most recent article read: 0.92^n
  var ENTITY_WEIGHT = 1.5;    // a shared name counts more than a shared term
  var RECENCY_WEIGHT = 0.15;  // added score of an article published today
  var RECENCY_DAYS = 120;

  function storage() {
    try {
      var s = window.localStorage;
      s.getItem(KEY);
      return s;
    } catch (e) {
      return null; // storage disabled: no history, the page keeps Must read
    }
  }

  function loadHistory(s) {
    if (!s) return [];
    try {
      var h = JSON.parse(s.getItem(KEY) || "[]");
      return Array.isArray(h) ? h.filter(function (x) { return x && typeof x.i === "number"; }) : [];
    } catch (e) {
      return [];
    }
  }

  function saveHistory(s, history) {
    if (!s) return;
    try {
      s.setItem(KEY, JSON.stringify(history.slice(0, MAX_HISTORY)));
    } catch (e) { /* full or forbidden: nothing to do */ }
  }

  function record(s, section) {
    var id = parseInt(section.getAttribute("data-article"), 10);
    var history = loadHistory(s);
    if (!id) return history;
    var lang = section.getAttribute("data-lang");
    history = history.filter(function (x) { return x.i !== id; });
    history.unshift({ i: id, l: lang, f: section.getAttribute("data-features") || "" });
    saveHistory(s, history);
    return history;
  }

  function featureWeight(f) {
    return f.charAt(0) === "e" ? ENTITY_WEIGHT : 1;
  }

  function profileOf(history, lang, itemsById) {
    var profile = {};
    var n = 0;
    history.forEach(function (h) {
      if (h.l !== lang) return;
      // The file's features are the current ones; the stored copy serves articles no longer in it.
      var item = itemsById[h.i];
      var features = (item ? item[5] : h.f || "").split(" ");
      var w = Math.pow(READ_DECAY, n++);
      features.forEach(function (f) {
        if (f) profile[f] = (profile[f] || 0) + w * featureWeight(f);
      });
    });
    return n ? profile : null;
  }

  function score(items, history, profile) {
    var read = {};
    history.forEach(function (h) { read[h.i] = true; });
    var norm = 0;
    Object.keys(profile).forEach(function (f) { norm += profile[f] * profile[f]; });
    norm = Math.sqrt(norm) || 1;
    var today = Date.now() / 86400000;
    var scored = [];
    items.forEach(function (item) {
      if (read[item[0]]) return;
      var features = item[5] ? item[5].split(" ") : [];
      if (!features.length) return;
      var dot = 0, self = 0;
      features.forEach(function (f) {
        var w = featureWeight(f);
        self += w * w;
        if (profile[f]) dot += profile[f] * w;
      });
      if (dot <= 0) return; // nothing in common with what was read
      var similarity = dot / (norm * Math.sqrt(self));
      var age = Math.max(0, today - item[4]);
      scored.push({ item: item, score: similarity + RECENCY_WEIGHT * Math.exp(-age / RECENCY_DAYS) });
    });
    scored.sort(function (a, b) { return b.score - a.score || b.item[4] - a.item[4]; });
    return scored.slice(0, SHOWN).map(function (x) { return x.item; });
  }

  function formatDate(day, lang) {
    var date = new Date(day * 86400000);
    try {
      return date.toLocaleDateString(lang === "fa" ? "fa-IR" : "en-GB",
        { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
    } catch (e) {
      return date.toISOString().slice(0, 10);
    }
  }

  function render(section, data, feedUrl, picks) {
    var list = document.createElement("ol");
    list.className = "teasers recommended-list";
    picks.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "teaser";
      li.setAttribute("data-id", String(item[0]));
      var h3 = document.createElement("h3");
      var a = document.createElement("a");
      a.href = new URL(item[2], feedUrl).href;
      a.textContent = item[3];
      h3.appendChild(a);
      li.appendChild(h3);
      var meta = document.createElement("p");
      meta.className = "meta";
      var time = document.createElement("time");
      time.setAttribute("datetime", new Date(item[4] * 86400000).toISOString().slice(0, 10));
      time.textContent = formatDate(item[4], data.lang);
      meta.appendChild(time);
      var sec = data.sections[item[1]];
      if (sec) {
        meta.appendChild(document.createTextNode(" · "));
        var sa = document.createElement("a");
        sa.href = new URL(sec[1], feedUrl).href;
        sa.textContent = sec[0];
        meta.appendChild(sa);
      }
      li.appendChild(meta);
      list.appendChild(li);
    });
    var box = section.querySelector(".recommended-items");
    box.textContent = "";
    box.appendChild(list);
    var note = section.querySelector(".recommended-note");
    if (note) note.textContent = section.getAttribute("data-note") || "";
    section.setAttribute("data-state", "personal");
  }

  function recommend(section, history) {
    var lang = section.getAttribute("data-lang");
    if (!history.some(function (h) { return h.l === lang; })) {
      section.setAttribute("data-state", "must-read");
      return;
    }
    var feedUrl = new URL(section.getAttribute("data-feed"), window.location.href).href;
    // A plain GET: no cookie, no query string, no referrer; the history stays here.
    fetch(feedUrl, { credentials: "omit", referrerPolicy: "no-referrer", cache: "default" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        if (!data || data.v !== 1 || !Array.isArray(data.items)) throw new Error("format");
        var byId = {};
        data.items.forEach(function (item) { byId[item[0]] = item; });
        var profile = profileOf(history, lang, byId);
        var picks = profile ? score(data.items, history, profile) : [];
        if (picks.length) render(section, data, feedUrl, picks);
        else section.setAttribute("data-state", "must-read");
      })
      .catch(function () { section.setAttribute("data-state", "must-read"); });
  }

  function helpPage(s) {
    var button = document.getElementById("clear-history");
    var status = document.getElementById("history-status");
    if (!button || !status) return;
    function show() {
      status.textContent = (status.getAttribute("data-count") || "") + " " + loadHistory(s).length;
    }
    button.hidden = false;
    button.disabled = !s;
    show();
    button.addEventListener("click", function () {
      if (s) {
        try { s.removeItem(KEY); } catch (e) { /* nothing kept */ }
      }
      status.textContent = status.getAttribute("data-cleared") || "";
    });
  }

  function start() {
    var s = storage();
    helpPage(s);
    var section = document.getElementById("recommended");
    if (!section || section.getAttribute("data-started")) return;
    section.setAttribute("data-started", "1");
    var history = section.hasAttribute("data-article") ? record(s, section) : loadHistory(s);
    recommend(section, history);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
