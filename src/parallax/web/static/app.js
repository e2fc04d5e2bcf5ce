// Parallax web app: the progress page polls its job and reloads when the result is stored.
// Loaded on every page from /static (no inline script: the Content-Security-Policy forbids it).
(function () {
  "use strict";
  var POLL_MS = 700;

  function poll(section) {
    var id = section.getAttribute("data-job");
    var bar = document.getElementById("progress-bar");
    var stage = document.getElementById("progress-stage");
    fetch("/api/jobs/" + encodeURIComponent(id), {headers: {"accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
        if (bar && typeof job.done === "number") { bar.value = job.done; }
        if (stage && job.stage) { stage.textContent = job.stage; }
        window.setTimeout(function () { poll(section); }, POLL_MS);
      })
      .catch(function () { /* the page's own refresh takes over */ });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.getElementById("progress");
    if (section) { poll(section); }
  });
})();
