/* Recommended to you, computed in the reader's browser.
 *
 * The ids of the last 50 articles opened, each with the Related list its page showed, are kept in
 * this device's localStorage, never in a cookie and never sent: the only request made is a plain
 * GET of the site's public recommendations file, the same for every reader. Unread articles are
 * scored against the history, weighted towards what was read last: an article counts for each
 * article read whose Related list holds it (the site's own similarity of text, names and tags),
 * or whose list it holds (for articles published since), higher in the list counting more; a
 * little is added for being recent. The best five replace the Must read list that the page shows
 * without JavaScript.
 * No third-party code; no framework. See rightsdesk/related/recommend.py for the file's format.
 */
(function () {
  "use strict";

  var KEY = "rightsdesk.reading-history.v2";
  var OLD_KEYS = ["rightsdesk.reading-history.v1"]; // earlier formats: removed, not read
  var MAX_HISTORY = 50;
  var SHOWN = 5;
  var READ_DECAY = 0.92;      // weight of the n-th most recent article read: 0.92^n
  var RANK_STEP = 0.1;        // the n-th item of a Related list counts 1 - 0.1·n
  var RECENCY_WEIGHT = 0.05;  // added score of an article published today
  var RECENCY_DAYS = 120;

  function storage() {
    try {
      var s = window.localStorage;
      s.getItem(KEY);
      OLD_KEYS.forEach(function (k) { s.removeItem(k); });
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

  // The Related list a page handed over: "r" + id in base 36, best first.
  function relatedIds(features) {
    var ids = [];
    (features || "").split(" ").forEach(function (x) {
      if (x.charAt(0) === "r") ids.push(parseInt(x.slice(1), 36));
    });
    return ids;
  }

  // The slug the site derives from a title (recommend.py's derived_slug, exactly).
  function derivedSlug(title) {
    return title.replace(/[^A-Za-z0-9 _-]/g, "").toLowerCase().replace(/[ -]+/g, "-").replace(/^[-_]+|[-_]+$/g, "");
  }

  function undelta(values) {
    var out = [], last = 0;
    values.forEach(function (d, k) { last = k ? last - d : d; out.push(last); });
    return out;
  }

  function lines(text, count) {
    return count ? text.split("\n") : [];
  }

  // An article's address below the home page (recommend.py's format: an empty slug line is the
  // slug derived from the title, a line with "/" the whole address, else the slug's parts).
  function address(line, title, section) {
    if (line.indexOf("/") >= 0) return line;
    var words = derivedSlug(title).split("-");
    var slug = line ? line.split("-").map(function (part) {
      return part.charAt(0) === "~" ? part.slice(1) : words[parseInt(part, 36)];
    }).join("-") : words.join("-");
    return (section ? section[1] : "") + slug + "/";
  }

  // The file's columns → one record per article, newest first. Titles and addresses are
  // decoded only for the articles shown (`describe`): at 10,000 articles doing it for all would
  // cost the reader's device ten times the scoring.
  function columns(data) {
    var ids = undelta(data.id), days = undelta(data.day), n = ids.length;
    var file = { data: data, words: lines(data.words, n), titles: lines(data.title, n), slugs: lines(data.slug, n) };
    if (days.length !== n || data.sec.length !== n || file.titles.length !== n || file.slugs.length !== n) {
      throw new Error("format");
    }
    file.articles = ids.map(function (id, k) {
      return { k: k, id: id, day: days[k], rel: (data.rel[k] || []).map(function (p) { return ids[p]; }) };
    });
    return file;
  }

  function describe(file, a) {
    var words = file.words;
    a.title = file.titles[a.k].split(" ").map(function (c) { return words[parseInt(c, 36)]; }).join(" ");
    a.section = file.data.sections[file.data.sec[a.k]] || null;
    a.url = address(file.slugs[a.k], a.title, a.section);
    return a;
  }

  // Every article, described (for checks: the page itself describes only the five it shows).
  function decode(data) {
    var file = columns(data);
    return file.articles.map(function (a) { return describe(file, a); });
  }

  function score(articles, history, lang) {
    var byId = {}, read = {}, total = 0, n = 0, links = {};
    articles.forEach(function (a) { byId[a.id] = a; });
    history.forEach(function (h) {
      if (read[h.i] !== undefined) return;
      read[h.i] = 0;
      if (h.l !== lang) return;
      var w = Math.pow(READ_DECAY, n++);
      read[h.i] = w;
      total += w;
      // The list the file has now if the article is still public and fresh, else the one kept.
      var current = byId[h.i] && byId[h.i].rel.length ? byId[h.i].rel : relatedIds(h.f);
      current.forEach(function (id, rank) {
        var key = h.i + ":" + id, v = w * (1 - RANK_STEP * rank);
        links[key] = Math.max(links[key] || 0, v);
      });
    });
    if (!total) return [];
    // Articles published since: they list the articles read that they are related to.
    articles.forEach(function (a) {
      a.rel.forEach(function (id, rank) {
        if (!read[id]) return;
        var key = id + ":" + a.id, v = read[id] * (1 - RANK_STEP * rank);
        links[key] = Math.max(links[key] || 0, v);
      });
    });
    var sums = {};
    Object.keys(links).forEach(function (key) {
      var id = key.slice(key.indexOf(":") + 1);
      sums[id] = (sums[id] || 0) + links[key];
    });
    var today = Date.now() / 86400000, scored = [];
    Object.keys(sums).forEach(function (id) {
      var a = byId[id];
      if (!a || read[a.id] !== undefined) return; // not public any more, or already read
      var age = Math.max(0, today - a.day);
      scored.push({ a: a, score: sums[id] / total + RECENCY_WEIGHT * Math.exp(-age / RECENCY_DAYS) });
    });
    scored.sort(function (x, y) { return y.score - x.score || y.a.day - x.a.day || y.a.id - x.a.id; });
    return scored.slice(0, SHOWN).map(function (x) { return x.a; });
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
      li.setAttribute("data-id", String(item.id));
      var h3 = document.createElement("h3");
      var a = document.createElement("a");
      a.href = new URL(item.url, feedUrl).href;
      a.textContent = item.title;
      h3.appendChild(a);
      li.appendChild(h3);
      var meta = document.createElement("p");
      meta.className = "meta";
      var time = document.createElement("time");
      time.setAttribute("datetime", new Date(item.day * 86400000).toISOString().slice(0, 10));
      time.textContent = formatDate(item.day, data.lang);
      meta.appendChild(time);
      var sec = item.section;
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
        if (!data || data.v !== 2) throw new Error("format");
        var file = columns(data);
        var picks = score(file.articles, history, lang).map(function (a) { return describe(file, a); });
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

  // For checks in a browser console or test: how the file is read.
  window.rightsdeskRecommended = Object.freeze({ decode: decode, derivedSlug: derivedSlug });

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
