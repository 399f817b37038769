// Observation checklist, with or without signal. Every tick is queued on the phone at once and
// sent in order (offline.js), each with a key so a resend applies once, and with the value the
// phone last saw on the server: if another device changed that step meanwhile, the server keeps
// its value and the page shows the conflict (app/offline/replay.py). With no signal, "Simpan
// centang" and "Konfirmasi hasil" are queued the same way. Without JavaScript the form posts.
(function () {
  "use strict";
  var KC = window.KC;
  var form = document.querySelector("form.checklist[data-tick-url]");
  if (!form || !KC) { return; }
  var page = location.pathname;
  var key = "kc-seen-" + page;
  var state = form.querySelector(".save-state");
  var decision = form.querySelector("select[name=decision]");
  // The decision follows the system's suggestion tick by tick until the assessor picks one.
  var decidedByHand = form.dataset.decided === "1";
  if (decision) { decision.addEventListener("change", function () { decidedByHand = true; }); }
  function say(text) { if (state) { state.textContent = text || ""; } }
  function here(e) { return e.page === page; }

  // What the server holds as far as this phone knows: the page as rendered, unless the phone
  // saved something newer itself (a stored copy of the page is older than the phone's own ticks),
  // plus everything still queued.
  var rendered = Number(form.dataset.rendered);
  var server = JSON.parse(form.dataset.state || "{}");
  var known = KC.load(key, null);
  if (!known || known.rendered < rendered) { known = { rendered: rendered, steps: server.steps || {}, result: server.result || "" }; }
  KC.pending(here).forEach(function (e) {
    Object.keys(e.fields).forEach(function (n) { if (n.indexOf("step-") === 0) { known.steps[n.slice(5)] = e.fields[n]; } });
    if (e.fields.action === "confirm") { known.result = e.fields.decision; }
  });
  function keep() { KC.save(key, known); }
  function show() {
    Object.keys(known.steps).forEach(function (id) {
      var input = form.querySelector('input[name="step-' + id + '"][value="' + known.steps[id] + '"]');
      if (input) { input.checked = true; }
    });
  }
  keep();
  show();
  if (KC.pending(here).length) { say(form.dataset.queuedText); }

  function seen(fields) {
    Object.keys(fields).forEach(function (n) {
      if (n.indexOf("step-") === 0) { fields["seen-" + n.slice(5)] = known.steps[n.slice(5)] || ""; }
    });
    fields.seen_result = known.result || "";
    fields.idempotency_key = KC.newKey();
    return fields;
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || input.name.indexOf("step-") !== 0) { return; }
    var fields = {};
    fields[input.name] = input.value;
    seen(fields);
    known.steps[input.name.slice(5)] = input.value;
    keep();
    if (!navigator.onLine) { say(form.dataset.offlineText); }
    KC.enqueue({ kind: "tick", url: form.dataset.tickUrl, json: true, page: page, fields: fields });
  });

  // With signal and nothing queued the form posts as usual; otherwise it joins the queue.
  form.addEventListener("submit", function (event) {
    if (navigator.onLine && !KC.pending(here).length) { return; }
    event.preventDefault();
    var fields = {};
    new FormData(form).forEach(function (value, name) { if (name !== "csrf_token") { fields[name] = value; } });
    if (event.submitter && event.submitter.name) { fields[event.submitter.name] = event.submitter.value; }
    seen(fields);
    if (fields.action === "confirm") { known.result = fields.decision; }
    keep();
    say(form.dataset.queuedText);
    KC.enqueue({ kind: "form", url: form.getAttribute("action") || page, json: false, page: page, fields: fields });
  });

  document.addEventListener("kc:sent", function (event) {
    var d = event.detail;
    if (!here(d.entry)) { return; }
    if (d.data && d.data.state) {  // a conflict (or a resend): the server's values are shown
      if (!d.ok) { known.steps = d.data.state.steps; known.result = d.data.state.result; keep(); show(); }
    }
    if (d.ok) {
      say(form.dataset.savedText || "✓");
      if (decision && !decidedByHand && d.data && d.data.suggested) { decision.value = d.data.suggested; }
      if (d.entry.kind === "form") { d.handled = true; location.href = d.url; }
    } else {
      say((d.data && d.data.error) || "!");
    }
  });
}());
