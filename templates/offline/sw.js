// Kader Cakap service worker: material, quiz and checklist pages keep working with no signal.
// Pages under the prefixes below are fetched from the network first (a short wait on a slow
// line, then the stored copy) and every page that loads is stored. Writes are never handled
// here: pages queue them on the phone and send them to the usual addresses (static/js/offline.js).
"use strict";
var VERSION = "{{ version }}";
var STATIC_CACHE = "kc-static-" + VERSION;
var PAGE_CACHE = "kc-pages-" + VERSION;
var CORE = {{ core | tojson }};
var FALLBACK = {{ fallback | tojson }};
var PREFIXES = ["/belajar/", "/kuis/percobaan/", "/praktik/"];
var WAIT_MS = 3000;

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC_CACHE).then(function (cache) { return cache.addAll(CORE); })
    .then(function () { return self.skipWaiting(); }));
});

// A new version deletes every cache of the old one: material and pages are stored again.
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) {
      return n.indexOf("kc-") === 0 && n !== STATIC_CACHE && n !== PAGE_CACHE;
    }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepable(url) {
  return url.pathname === "/" || PREFIXES.some(function (p) { return url.pathname.indexOf(p) === 0; });
}

function store(request, response) {
  // A redirect (to the login page, or to a quiz's result) is not the page that was asked for.
  if (response.ok && !response.redirected && response.type === "basic") {
    var copy = response.clone();
    caches.open(PAGE_CACHE).then(function (cache) { return cache.put(request, copy); });
  }
  return response;
}

function stored(request) {
  return caches.match(request, { ignoreVary: true });
}

function networkFirst(event) {
  var request = event.request;
  var network = fetch(request).then(function (r) { return store(request, r); });
  event.waitUntil(network.then(function () {}, function () {}));
  var slow = new Promise(function (resolve) { setTimeout(resolve, WAIT_MS); }).then(function () {
    return stored(request).then(function (hit) { return hit || network; });
  });
  return Promise.race([network, slow]).catch(function () {
    return stored(request).then(function (hit) {
      if (hit) { return hit; }
      if (request.mode === "navigate") { return caches.match(FALLBACK); }
      return Response.error();
    });
  });
}

function cacheFirst(request) {
  // Static files carry their content hash in the address: a stored copy is never stale.
  return stored(request).then(function (hit) {
    return hit || fetch(request).then(function (r) {
      if (r.ok) { var copy = r.clone(); caches.open(STATIC_CACHE).then(function (c) { c.put(request, copy); }); }
      return r;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) { event.respondWith(cacheFirst(request)); return; }
  if (keepable(url)) { event.respondWith(networkFirst(event)); }
});

// Addresses a page finds in stored HTML that it needs to show offline: pictures, css, js.
var ASSET_RE = /(?:src|href)="([^"]+)"/g;

function asset(value, page) {
  var url = new URL(value.replace(/&amp;/g, "&"), new URL(page, self.location.origin));
  var keep = url.origin === self.location.origin &&
    (url.pathname.indexOf("/static/") === 0 || url.pathname.indexOf("/belajar/gambar/") === 0);
  return keep ? url.pathname + url.search : null;
}

function fetchAndStore(url, cacheName) {
  var request = new Request(url, { credentials: "same-origin", headers: { "X-Offline-Store": "1" } });
  return fetch(request).then(function (r) {
    if (!r.ok || r.redirected) { throw new Error("not stored: " + url); }
    return r.clone().arrayBuffer().then(function (body) {
      return caches.open(cacheName).then(function (c) { return c.put(url, r); }).then(function () {
        return { url: url, bytes: body.byteLength, html: (r.headers.get("Content-Type") || "").indexOf("text/html") === 0 ? new TextDecoder().decode(body) : "" };
      });
    });
  });
}

function storeOne(url, onlyMissing) {
  var check = onlyMissing ? stored(new Request(url)) : Promise.resolve(null);
  return check.then(function (hit) {
    if (hit) { return { url: url, bytes: 0, html: "" }; }
    var cacheName = url.indexOf("/static/") === 0 ? STATIC_CACHE : PAGE_CACHE;
    return fetchAndStore(url, cacheName);
  });
}

// A page asks: {type: "store", urls: [...], onlyMissing: bool}. Answer on the port:
// {stored: n pages, failed: n, bytes: total downloaded}. Pictures and files found in the
// pages are stored with them.
function storeAll(urls, onlyMissing) {
  var total = { stored: 0, failed: 0, bytes: 0 };
  var assets = {};
  return Promise.all(urls.map(function (url) {
    return storeOne(url, onlyMissing).then(function (got) {
      total.stored += 1;
      total.bytes += got.bytes;
      var m;
      ASSET_RE.lastIndex = 0;
      while ((m = ASSET_RE.exec(got.html)) !== null) {
        var found = asset(m[1], url);
        if (found) { assets[found] = true; }
      }
    }, function () { total.failed += 1; });
  })).then(function () {
    return Promise.all(Object.keys(assets).map(function (url) {
      return storeOne(url, true).then(function (got) { total.bytes += got.bytes; }, function () { total.failed += 1; });
    }));
  }).then(function () { return total; });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var port = event.ports && event.ports[0];
  if (data.type === "store" && Array.isArray(data.urls)) {
    var urls = data.urls.filter(function (u) { return typeof u === "string" && u.charAt(0) === "/"; });
    event.waitUntil(storeAll(urls, !!data.onlyMissing).then(function (total) {
      if (port) { port.postMessage(total); }
    }));
  } else if (data.type === "version" && port) {
    port.postMessage({ version: VERSION });
  }
});
