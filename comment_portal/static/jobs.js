// The progress of a background job (staff/_job.html), updated in place: the box names the JSON to poll.
// Without JavaScript the page shows the same figures on every refresh. At the end the page reloads to show
// the result (new groups, the import's report, or why the job failed).
(function () {
  "use strict";
  var box = document.querySelector("[data-job-status]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-job-status");
  var state = box.querySelector("[data-job-state]");
  var stage = box.querySelector("[data-job-stage]");
  var count = box.querySelector("[data-job-count]");
  var bar = box.querySelector("progress");

  function show(status) {
    state.textContent = status.state_label;
    stage.textContent = status.stage_label;
    count.textContent = status.count;
    if (status.total) {
      bar.max = status.total;
      bar.value = status.done;
      bar.textContent = status.count;
    } else {
      bar.removeAttribute("value");
    }
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (status) {
        if (status.finished) {
          window.location.reload();
          return;
        }
        show(status);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
}());
