// Offline support on every page. Registers the service worker (/sw.js), keeps the writes made
// without signal (quiz answers and submissions, checklist ticks and decisions) in a queue on the
// phone, in the order they were made, and sends them to the usual addresses when the signal is
// back. Nothing leaves the queue unsent: a refused write is listed for the user to read.
// Without JavaScript none of this runs and every form posts as before.
(function () {
  "use strict";
  var box = document.getElementById("offline-status");
  if (!box || !window.localStorage) { return; }
  var QUEUE = "kc-queue", NOTES = "kc-notes";
  var user = box.dataset.user || "";
  var token = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var sending = false, retry = null, loginNeeded = false;

  function load(key, fallback) {
    try { return JSON.parse(localStorage.getItem(key)) || fallback; } catch (e) { return fallback; }
  }
  function save(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* storage full: kept in memory */ }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 12);
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k] !== undefined ? values[k] : m; });
  }
  function mine(e) { return e.user === user; }
  function pending(test) { return load(QUEUE, []).filter(function (e) { return mine(e) && (!test || test(e)); }); }

  function enqueue(entry) {
    var queue = load(QUEUE, []);
    entry.id = newKey();
    entry.user = user;
    var at = entry.slot ? queue.findIndex(function (e) { return mine(e) && e.slot === entry.slot; }) : -1;
    if (at >= 0) { queue[at] = entry; } else { queue.push(entry); }  // a changed answer keeps its place
    save(QUEUE, queue);
    render();
    flush();
    return entry;
  }
  function drop(id) { save(QUEUE, load(QUEUE, []).filter(function (e) { return e.id !== id; })); }
  function note(item) { var notes = load(NOTES, []); notes.push(item); save(NOTES, notes); }

  function freshToken() {
    return fetch(box.dataset.tokenUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        if (!r.ok) { return false; }
        return r.json().then(function (j) { token = j.csrf_token; return true; });
      });
  }

  function post(entry, retried) {
    var body = new URLSearchParams(entry.fields || {});
    body.set("csrf_token", token);
    return fetch(entry.url, { method: "POST", body: body, credentials: "same-origin",
                              headers: { "Accept": entry.json ? "application/json" : "text/html" } })
      .then(function (r) {
        if (r.status === 401 || new URL(r.url).pathname === box.dataset.loginPath) { return { login: true }; }
        if (r.status === 400 && !retried) {  // the form token may be stale: fetch a fresh one once
          return freshToken().then(function (ok) { return ok ? post(entry, true) : { login: true }; });
        }
        return r.text().then(function (text) { return { status: r.status, ok: r.ok, text: text, url: r.url }; });
      });
  }

  function reason(res) {
    try { var j = JSON.parse(res.text); if (j.error) { return j.error; } } catch (e) { /* an HTML page */ }
    var doc = new DOMParser().parseFromString(res.text, "text/html");
    var shown = doc.querySelector(".flash-error, main p");
    return (shown && shown.textContent.trim()) || box.dataset.refusedText;
  }

  function finished(entry, res) {
    var data = null;
    try { data = JSON.parse(res.text); } catch (e) { data = null; }
    var detail = { entry: entry, ok: res.ok, status: res.status, data: data, url: res.url, handled: false };
    document.dispatchEvent(new CustomEvent("kc:sent", { detail: detail }));
    if (entry.kind === "submit" && res.ok) {
      localStorage.removeItem("kc-choices-" + entry.attempt);
      Object.keys(localStorage).forEach(function (k) {  // the quiz is closed: no reopening it
        if (k.indexOf("kc-open-quiz-") === 0 && load(k, "").indexOf("/percobaan/" + entry.attempt + "/") >= 0) {
          localStorage.removeItem(k);
        }
      });
    }
    if (!res.ok) {
      note({ user: user, text: reason(res), href: entry.page || "", label: entry.label || "" });
    } else if (entry.kind === "submit" && !detail.handled) {
      note({ user: user, text: box.dataset.submittedText, href: entry.result || res.url, label: "" });
    }
  }

  function later(ms) { clearTimeout(retry); retry = setTimeout(flush, ms); }

  function flush() {
    var next = pending()[0];
    if (sending || !next) { render(); return; }
    sending = true;
    post(next, false).then(function (res) {
      sending = false;
      if (res.login) { loginNeeded = true; render(); return; }
      if (res.status >= 500 || res.status === 429) { later(15000); render(); return; }
      loginNeeded = false;
      drop(next.id);
      finished(next, res);
      flush();
    }, function () {  // no signal: everything stays queued
      sending = false;
      render();
      if (navigator.onLine) { later(5000); }
    });
  }

  function render() {
    var count = pending().length;
    var notes = load(NOTES, []).filter(mine);
    var parts = [];
    if (count) { parts.push("<p>" + esc(fill(box.dataset.pendingText, { n: count })) + "</p>"); }
    if (count && loginNeeded) {
      parts.push('<p><a href="' + esc(box.dataset.loginPath + "?next=" + encodeURIComponent(location.pathname)) + '">' +
                 esc(box.dataset.loginText) + "</a></p>");
    }
    notes.forEach(function (n) {
      parts.push('<p class="offline-note">' + esc(n.text) + (n.href ? ' <a href="' + esc(n.href) + '">' +
                 esc(box.dataset.openText) + "</a>" : "") + "</p>");
    });
    if (notes.length) { parts.push('<button type="button" class="link" data-dismiss>' + esc(box.dataset.dismissText) + "</button>"); }
    box.innerHTML = parts.join("");
    box.hidden = parts.length === 0;
  }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  box.addEventListener("click", function (event) {
    if (!event.target.hasAttribute("data-dismiss")) { return; }
    save(NOTES, load(NOTES, []).filter(function (n) { return !mine(n); }));
    render();
  });

  function ask(message) {
    return navigator.serviceWorker.ready.then(function (reg) {
      return new Promise(function (resolve) {
        var channel = new MessageChannel();
        channel.port1.onmessage = function (e) { resolve(e.data); };
        reg.active.postMessage(message, [channel.port2]);
      });
    });
  }
  // Ask the service worker to store pages (and the pictures and files in them).
  function store(urls, onlyMissing) {
    if (!("serviceWorker" in navigator)) { return Promise.reject(new Error("no service worker")); }
    return ask({ type: "store", urls: urls, onlyMissing: onlyMissing });
  }
  function path(u) {  // same-origin addresses only, as paths
    var url = new URL(u, location.href);
    return url.origin === location.origin ? url.pathname + url.search : "";
  }
  function links(root) {
    return [].map.call(root.querySelectorAll("a[href]"), function (a) { return path(a.href); });
  }
  function size(bytes) {
    return bytes >= 1048576 ? (bytes / 1048576).toFixed(1).replace(".", ",") + " MB" : Math.max(1, Math.round(bytes / 1024)) + " KB";
  }

  // A page region marked data-offline-store: its links (and data-offline-extra) are stored once.
  function storeMarked() {
    [].forEach.call(document.querySelectorAll("[data-offline-store]"), function (region) {
      var pictures = [].map.call(region.querySelectorAll("img[src]"), function (i) { return path(i.src); });
      var urls = links(region).concat(pictures, (region.dataset.offlineExtra || "").split(" ").filter(Boolean))
        .filter(function (u) { return u.charAt(0) === "/"; });
      var shown = document.getElementById(region.dataset.offlineStore);
      store(urls, true).then(function (total) {
        if (shown && total.failed === 0) { shown.textContent = region.dataset.offlineDone; shown.hidden = false; }
      });
    });
  }

  // "Simpan untuk dibaca tanpa sinyal": every skill's material at once, with its size.
  function saveAllButton() {
    var panel = document.getElementById("offline-save");
    if (!panel || !("serviceWorker" in navigator)) { return; }
    var said = panel.querySelector("[aria-live]");
    var last = load("kc-material-" + user, null);
    if (last) { said.textContent = last; }
    panel.hidden = false;
    panel.querySelector("button").addEventListener("click", function () {
      if (!navigator.onLine) { said.textContent = panel.dataset.noSignalText; return; }
      said.textContent = panel.dataset.busyText;
      var urls = [location.pathname].concat([].map.call(document.querySelectorAll(panel.dataset.links),
        function (a) { return path(a.href); }));
      store(urls, false).then(function (total) {
        var text = fill(total.failed ? panel.dataset.partText : panel.dataset.doneText,
                        { n: total.stored - 1, size: size(total.bytes), failed: total.failed });
        said.textContent = text;
        save("kc-material-" + user, text);
      });
    });
  }

  // Leaving: the pages kept for this user go; unsent writes stay and wait for the same user.
  [].forEach.call(document.querySelectorAll("form[data-logout]"), function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.caches || form.dataset.cleared) { return; }
      event.preventDefault();
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (n) { return n.indexOf("kc-pages-") === 0; })
          .map(function (n) { return caches.delete(n); }));
      }).then(function () { form.dataset.cleared = "1"; form.submit(); });
    });
  });

  // A quiz in progress reopens from the skill page with no signal; any other form that needs the
  // server says so instead of the browser's error page.
  var quiz = document.querySelector("form.quiz[data-skill]");
  if (quiz) { save("kc-open-quiz-" + user + "-" + quiz.dataset.skill, location.pathname); }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || navigator.onLine || (form.method || "").toLowerCase() !== "post") { return; }
    event.preventDefault();
    var open = form.dataset.quizStart && load("kc-open-quiz-" + user + "-" + form.dataset.quizStart, "");
    if (open) { location.href = open; return; }
    note({ user: user, text: box.dataset.noSignalText, href: "", label: "" });
    render();
    box.scrollIntoView();
  });

  window.KC = { load: load, save: save, enqueue: enqueue, pending: pending, flush: flush, newKey: newKey,
                fill: fill, store: store };
  if ("serviceWorker" in navigator && box.dataset.sw) {
    navigator.serviceWorker.register(box.dataset.sw, { scope: "/" }).then(function (reg) {
      if (!navigator.onLine) { return; }
      storeMarked();
      // A page from a newer release: fetch the new worker now, which drops the old caches.
      ask({ type: "version" }).then(function (answer) {
        if (answer.version !== box.dataset.version) { reg.update(); }
      });
    }, function () { /* without a worker the app still works online */ });
  }
  saveAllButton();
  window.addEventListener("online", flush);
  render();
  flush();
}());
