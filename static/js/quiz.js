// Quiz autosave: an answer is sent the moment it is chosen; unsent answers wait in
// localStorage and are retried when the connection returns or the page is opened again.
// Without JavaScript the buttons post the answer with the form.
(function () {
  "use strict";
  var form = document.querySelector("form.quiz[data-answer-url]");
  if (!form) { return; }
  var state = form.querySelector(".save-state");
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var key = "kc-quiz-" + form.dataset.attempt;

  function pending() {
    try { return JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function store(p) { try { localStorage.setItem(key, JSON.stringify(p)); } catch (e) { /* private mode */ } }
  function say(text) { if (state) { state.textContent = text; } }

  function send(position, option) {
    var body = new URLSearchParams({ csrf_token: token, position: position, option: option });
    return fetch(form.dataset.answerUrl, { method: "POST", body: body, credentials: "same-origin",
                                           headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, status: r.status, json: j }; }); });
  }

  function flush() {
    var p = pending();
    Object.keys(p).forEach(function (position) {
      send(position, p[position]).then(function (res) {
        var now = pending();
        if (res.ok || res.status === 409 || res.status === 400) { delete now[position]; store(now); }
        if (res.ok) { say(form.dataset.savedText); } else { say(res.json.error || ""); }
      }).catch(function () { say(form.dataset.offlineText); setTimeout(flush, 4000); });
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name !== "option") { return; }
    var p = pending();
    p[form.dataset.position] = event.target.value;
    store(p);
    flush();
  });
  window.addEventListener("online", flush);
  flush();
}());
