// Quiz on a phone with or without signal. An answer is kept on the phone the moment it is chosen
// and queued for the usual background save (offline.js sends it when there is signal); moving
// between questions opens the page the service worker stored, and the kader's own choices are
// shown on it. "Kirim jawaban" queues the submission after the answers; the result (with the
// explanations) opens once the server has scored it. Without JavaScript the forms post as before.
(function () {
  "use strict";
  var KC = window.KC;
  var form = document.querySelector("form.quiz[data-answer-url]");
  var summary = document.querySelector("[data-quiz-summary]");
  var root = form || summary;
  if (!root || !KC) { return; }
  var attempt = root.dataset.attempt;
  var key = "kc-choices-" + attempt;
  var state = document.querySelector(".save-state");
  function choices() { return KC.load(key, {}); }
  function say(text) { if (state) { state.textContent = text || ""; } }
  function submitQueued() {
    return KC.pending(function (e) { return e.kind === "submit" && e.attempt === attempt; }).length > 0;
  }

  // The question numbers: answered on this phone counts as answered.
  var map = document.querySelector(".quiz-map");
  function answered() {
    var done = {}, mineNow = choices();
    [].forEach.call(map ? map.querySelectorAll("a[data-position]") : [], function (a) {
      var p = a.dataset.position;
      if (a.classList.contains("done") || mineNow[p] !== undefined) {
        done[p] = true;
        a.classList.add("done");
        var sr = a.querySelector(".sr-only");
        if (sr) { sr.textContent = " " + map.dataset.doneText; }
      }
    });
    return Object.keys(done).length;
  }

  if (form) {
    var position = form.dataset.position;
    var mine = choices()[position];
    if (mine !== undefined) {
      var input = form.querySelector('input[name=option][value="' + mine + '"]');
      if (input) { input.checked = true; }
    }
    if (KC.pending(function (e) { return e.slot === "answer:" + attempt + ":" + position; }).length) {
      say(form.dataset.offlineText);
    }
    if (submitQueued()) {  // sent already: waiting for signal, no more changes
      [].forEach.call(form.querySelectorAll("input[name=option]"), function (i) { i.disabled = true; });
      say(root.dataset.waitText);
    }
    form.addEventListener("change", function (event) {
      if (event.target.name !== "option") { return; }
      var all = choices();
      all[position] = event.target.value;
      KC.save(key, all);
      answered();
      if (!navigator.onLine) { say(form.dataset.offlineText); }
      KC.enqueue({ kind: "answer", slot: "answer:" + attempt + ":" + position, url: form.dataset.answerUrl,
                   json: true, attempt: attempt, page: location.pathname,
                   fields: { position: position, option: event.target.value } });
    });
    // "Sebelumnya", "Simpan dan lanjut", "Simpan dan periksa": the answer is queued already.
    form.addEventListener("submit", function (event) {
      var go = event.submitter && event.submitter.value;
      var target = go && form.dataset[go + "Url"];
      if (!target) { return; }
      event.preventDefault();
      location.href = target;
    });
  }

  if (summary) {
    var count = document.querySelector("[data-count-text]");
    var done = answered();
    var total = Number(summary.dataset.total);
    if (count) { count.textContent = KC.fill(count.dataset.countText, { done: done, total: total }); }
    var warning = document.querySelector(".unanswered-warning");
    if (warning) { warning.hidden = done >= total; }
    var waiting = document.getElementById("submit-waiting");
    if (submitQueued()) { waiting.hidden = false; }
    window.addEventListener("offline", function () { if (submitQueued()) { waiting.hidden = false; } });
    summary.addEventListener("submit", function (event) {
      event.preventDefault();
      waiting.hidden = navigator.onLine;  // with signal the result opens in a moment
      if (!submitQueued()) {
        KC.enqueue({ kind: "submit", url: summary.action, json: false, attempt: attempt,
                     result: summary.dataset.resultUrl, page: location.pathname, fields: {} });
      } else {
        KC.flush();
      }
    });
  }

  document.addEventListener("kc:sent", function (event) {
    var d = event.detail;
    if (d.entry.attempt !== attempt) { return; }
    if (d.entry.kind === "submit" && d.ok && summary) {
      d.handled = true;
      location.href = d.entry.result;
    } else if (form && d.entry.slot === "answer:" + attempt + ":" + form.dataset.position) {
      say(d.ok ? form.dataset.savedText : (d.data && d.data.error) || "");
    }
  });
}());
