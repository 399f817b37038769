// Observation checklist: every tick is sent at once, so a dropped connection loses nothing.
// Without JavaScript the "Simpan centang" button posts the whole form instead.
(function () {
  "use strict";
  var form = document.querySelector("form.checklist[data-tick-url]");
  if (!form) { return; }
  var state = form.querySelector(".save-state");
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var queue = {};
  var sending = false;
  // The decision follows the system's suggestion tick by tick until the assessor picks one.
  var decision = form.querySelector("select[name=decision]");
  var decidedByHand = form.dataset.decided === "1";
  if (decision) { decision.addEventListener("change", function () { decidedByHand = true; }); }

  function say(text) { if (state) { state.textContent = text; } }

  function flush() {
    var names = Object.keys(queue);
    if (sending || names.length === 0) { return; }
    sending = true;
    var body = new URLSearchParams();
    body.append("csrf_token", token);
    names.forEach(function (n) { body.append(n, queue[n]); });
    var sent = Object.assign({}, queue);
    fetch(form.dataset.tickUrl, { method: "POST", body: body, credentials: "same-origin",
                                  headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
      .then(function (res) {
        sending = false;
        if (res.ok) {
          Object.keys(sent).forEach(function (n) { if (queue[n] === sent[n]) { delete queue[n]; } });
          say(form.dataset.savedText || "✓");
          if (decision && !decidedByHand && res.json.suggested) { decision.value = res.json.suggested; }
          flush();
        } else {
          say(res.json.error || "!");
        }
      })
      .catch(function () {
        sending = false;
        say(form.dataset.offlineText || "…");
        setTimeout(flush, 3000);  // retry until the connection is back
      });
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || input.name.indexOf("step-") !== 0) { return; }
    queue[input.name] = input.value;
    flush();
  });
  window.addEventListener("online", flush);
}());
