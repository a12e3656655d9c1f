// The plan page's reports (Excel 推进情况表, Word 通报): while one is queued or being made,
// ask the status endpoint every few seconds and turn its line into a download link (or
// the error) when the job is done, without reloading the page.
(function () {
  "use strict";
  const section = document.getElementById("reports");
  if (!section || !section.dataset.statusUrl) {
    return;
  }
  const UNFINISHED = '[data-report-status="pending"], [data-report-status="running"]';
  const FIRST_DELAY = 1000;
  const MAX_DELAY = 5000;
  // About half an hour at the longest delay: the service gives up on a report then too.
  const MAX_TRIES = 400;
  let tries = 0;

  function show(item, report) {
    const state = item.querySelector(".report-state");
    item.dataset.reportStatus = report.status;
    if (!state) {
      return;
    }
    state.replaceChildren();
    if (report.url) {
      const link = document.createElement("a");
      link.href = report.url;
      link.textContent = "下载";
      state.append(link);
    } else if (report.error) {
      const error = document.createElement("span");
      error.className = "error";
      error.textContent = report.error;
      state.append(error);
    } else {
      state.textContent = report.label + "…";
    }
  }

  function update(data) {
    for (const report of data.reports) {
      const item = section.querySelector('[data-report-id="' + report.id + '"]');
      if (item && item.dataset.reportStatus !== report.status) {
        show(item, report);
      }
    }
  }

  function poll() {
    if (!section.querySelector(UNFINISHED) || tries >= MAX_TRIES) {
      return;
    }
    tries += 1;
    fetch(section.dataset.statusUrl, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => data && update(data))
      .catch(() => {})
      .finally(() => setTimeout(poll, Math.min(FIRST_DELAY * 2 ** Math.min(tries, 3), MAX_DELAY)));
  }

  setTimeout(poll, FIRST_DELAY);
})();
