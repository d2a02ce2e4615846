// SpiroFS dashboard: the only script. Follows a running deploy's SSE stream and filters the
// overview as you type. Everything from the server is inserted as text (textContent), never as HTML.
"use strict";

function followDeploy(list) {
  const source = new EventSource(list.dataset.stream + "?after=" + encodeURIComponent(list.dataset.after || "0"));
  const names = ["deploy-start", "deploy-progress", "deploy-bundle", "highstate-calc", "highstate-start",
    "highstate-update", "highstate-finish", "exception", "deploy-finish"];
  const minions = document.getElementById("minions");
  for (const name of names) {
    source.addEventListener(name, (message) => {
      let data = {};
      try { data = JSON.parse(message.data); } catch (e) { data = { msg: message.data }; }
      const item = document.createElement("li");
      item.className = "event " + name;
      const time = document.createElement("time");
      time.textContent = new Date().toISOString().replace("T", " ").replace(/\..*/, "Z");
      const label = document.createElement("b");
      label.textContent = name;
      const text = document.createElement("span");
      text.textContent = typeof data.msg === "string" ? data.msg : "";
      item.append(time, " ", label, " ", text);
      list.append(item);
      if (name === "highstate-update" && minions && typeof data.minion === "string") {
        const row = document.createElement("p");
        row.className = "minion-live " + (data.outcome === "succeeded" ? "succeeded" : "failed");
        row.dataset.minion = data.minion;
        row.textContent = data.minion + ": " + data.outcome + " (" + data.ok + " ok, " + data.changed + " changed, " + data.failed + " failed)";
        minions.append(row);
      }
      if (name === "deploy-finish") {
        source.close();
        // The finished page is the server's rendering of the stored events.
        window.location.reload();
      }
    });
  }
}

function filterRows(input) {
  const table = document.getElementById(input.dataset.filterRows);
  const count = document.getElementById("saltenv-count");
  if (!table) { return; }
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    let shown = 0;
    for (const row of table.tBodies[0].rows) {
      const match = needle === "" || row.dataset.name.includes(needle);
      row.hidden = !match;
      if (match) { shown++; }
    }
    if (count) { count.textContent = shown + " saltenv(s)"; }
  });
}

document.addEventListener("DOMContentLoaded", () => {
  const events = document.querySelector("ol[data-stream]");
  if (events) { followDeploy(events); }
  const filter = document.querySelector("input[data-filter-rows]");
  if (filter) { filterRows(filter); }
});
