/* Recommended to you, computed in the reader's browser.
 *
 * The ids (and features) of the last 50 articles opened are kept in this device's localStorage,
 * never in a cookie and never sent: the only request made is a plain GET of the site's public
 * recommendations file, the same for every reader. Unread articles are scored against the history,
 * weighted towards what was read last: being in the Related lists of the articles read, sharing
 * rare terms and names with them, and a little for being recent. The best five replace the Must
 * read list that the page shows without JavaScript.
 * No third-party code; no framework. See rightsdesk/related/recommend.py for the file's format.
 */
(function () {
  "use strict";

  var KEY = "rightsdesk.reading-history.v1";
  var MAX_HISTORY = 50;
  var SHOWN = 5;
  var READ_DECAY = 0.92;      // weight of the n-th most recent article read: 0.92^n
  var RELATED_WEIGHT = 0.6;   // in the Related lists of what was read (computed by the site)…
  var MIN_SIMILARITY = 0.08;  // …or sharing rare terms and names with it
  var RECENCY_WEIGHT = 0.05;  // added score of an article published today
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

  // An item's features: "r…" its Related list (ids in base 36, best first), "e…" entities, the
  // rest hashed terms.
  function parse(features) {
    var related = [], other = [];
    (features || "").split(" ").forEach(function (x) {
      if (!x) return;
      if (x.charAt(0) === "r") related.push(parseInt(x.slice(1), 36));
      else other.push(x);
    });
    return { related: related, other: other };
  }

  // Rarer terms and names say more: inverse document frequency over the whole file.
  function rarity(items) {
    var df = {};
    items.forEach(function (item) {
      var seen = {};
      parse(item[5]).other.forEach(function (f) {
        if (!seen[f]) { seen[f] = true; df[f] = (df[f] || 0) + 1; }
      });
    });
    var n = items.length;
    return function (f) { return Math.log((n + 1) / ((df[f] || 0) + 1)); };
  }

  function score(items, history, lang, byId) {
    var idf = rarity(items);
    var profile = {}, boost = {}, total = 0, n = 0, read = {};
    history.forEach(function (h) {
      read[h.i] = true;
      if (h.l !== lang) return;
      // The file's features are the current ones; the stored copy serves articles no longer in it.
      var item = byId[h.i];
      var parsed = parse(item ? item[5] : h.f);
      var w = Math.pow(READ_DECAY, n++);
      total += w;
      parsed.related.forEach(function (id, rank) {
        boost[id] = (boost[id] || 0) + w * (1 - 0.1 * rank);
      });
      parsed.other.forEach(function (f) {
        profile[f] = (profile[f] || 0) + w * idf(f);
      });
    });
    if (!total) return [];
    var norm = 0;
    Object.keys(profile).forEach(function (f) { norm += profile[f] * profile[f]; });
    norm = Math.sqrt(norm) || 1;
    var today = Date.now() / 86400000;
    var scored = [];
    items.forEach(function (item) {
      if (read[item[0]]) return;
      var other = parse(item[5]).other;
      var dot = 0, self = 0;
      other.forEach(function (f) {
        var w = idf(f);
        self += w * w;
        if (profile[f]) dot += profile[f] * w;
      });
      var similarity = self ? dot / (norm * Math.sqrt(self)) : 0;
      var related = (boost[item[0]] || 0) / total;
      if (related <= 0 && similarity < MIN_SIMILARITY) return; // nothing in common with the history
      var age = Math.max(0, today - item[4]);
      scored.push({
        item: item,
        score: RELATED_WEIGHT * related + (1 - RELATED_WEIGHT) * similarity +
          RECENCY_WEIGHT * Math.exp(-age / RECENCY_DAYS)
      });
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
        var picks = score(data.items, history, lang, byId);
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
