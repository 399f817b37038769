// Background job page: the bar follows the job without reloading; the page reloads once the job
// ends, to show the download link or the error. Without JavaScript a <noscript> refresh does it.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !box.dataset.statusUrl) { return; }
  var bar = document.getElementById("job-progress");
  var text = document.getElementById("job-progress-text");
  var status = box.dataset.status;

  function poll() {
    fetch(box.dataset.statusUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (job) {
        if (job.status !== status) { window.location.reload(); return; }
        if (job.total) {
          bar.max = job.total;
          bar.value = job.done;
          text.textContent = job.done + " " + (box.dataset.of || "/") + " " + job.total + " (" + job.percent + "%)";
        }
        setTimeout(poll, 1500);
      })
      .catch(function () { setTimeout(poll, 5000); });  // offline for a moment: keep trying
  }
  setTimeout(poll, 1500);
}());
