// EventHub dashboard: small progressive enhancement over server-rendered pages. Without this script every page still
// shows its data and every form still posts; with it, live events stream in and replays report without a reload.
"use strict";

(function () {
  function text(tag, value, className) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    el.textContent = value;
    return el;
  }

  function time(iso) {
    const d = new Date(iso);
    return isNaN(d) ? iso : d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z");
  }

  // Live events: an EventSource on /ui/stream with the page's filter; pausing holds new rows back, resuming shows them.
  function live(section) {
    const body = section.querySelector("tbody");
    const status = section.querySelector("[role=status]");
    const pause = document.querySelector("button[data-pause]");
    const empty = section.querySelector("[data-empty]");
    const limit = 500;
    let paused = false;
    const held = [];

    function row(e) {
      const tr = document.createElement("tr");
      tr.className = "fresh";
      tr.dataset.id = e.id;
      const received = time(e.receivedAt);
      const when = text("td", received.slice(11), "time");
      when.insertBefore(text("span", received.slice(0, 11), "day"), when.firstChild);
      tr.appendChild(when);
      const name = document.createElement("td");
      const link = text("a", e.name);
      link.href = "/ui/events/" + encodeURIComponent(e.id);
      name.appendChild(link);
      tr.appendChild(name);
      tr.appendChild(text("td", e.source));
      const preview = document.createElement("td");
      preview.className = "preview wide";
      preview.appendChild(text("code", e.preview));
      tr.appendChild(preview);
      return tr;
    }

    function show(e) {
      if (empty) empty.hidden = true;
      body.insertBefore(row(e), body.firstChild);
      while (body.rows.length > limit) body.deleteRow(body.rows.length - 1);
    }

    function say(message, isLive) {
      status.textContent = message;
      status.classList.toggle("live", !!isLive);
    }

    const source = new EventSource(section.dataset.stream);
    source.onopen = function () { if (!paused) say("Live: new events appear at the top.", true); };
    source.onerror = function () { say("Connection lost: reconnecting…"); };
    source.onmessage = function (message) {
      const e = JSON.parse(message.data);
      if (paused) {
        held.push(e);
        say("Paused: " + held.length + " new event" + (held.length === 1 ? "" : "s") + " waiting.");
      } else {
        show(e);
      }
    };
    pause.hidden = false;
    pause.addEventListener("click", function () {
      paused = !paused;
      pause.setAttribute("aria-pressed", String(paused));
      pause.textContent = paused ? "Resume" : "Pause";
      if (paused) {
        say("Paused: new events are held back.");
      } else {
        held.splice(0).forEach(show);
        say("Live: new events appear at the top.", true);
      }
    });
  }

  // Dead letters: confirm, replay with fetch (the form's antiforgery token goes along), then follow the rows' states.
  function replay(form) {
    const dialog = document.getElementById("confirm");
    const question = document.getElementById("confirm-text");
    const result = form.querySelector("[data-result]");

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new FormData(form, event.submitter);
      const choice = data.get("replay") || "";
      let count;
      if (choice === "all") count = form.querySelectorAll("tbody tr").length;
      else if (choice === "selected") count = data.getAll("eventIds").length;
      else count = 1;
      if (count === 0) {
        result.className = "notice bad";
        result.textContent = "Select at least one dead letter first.";
        return;
      }
      dialog.pending = { send: send, data: data };
      question.textContent = "Replay " + (choice === "all" ? "all " : "") + count + " dead letter" + (count === 1 ? "" : "s") +
        " of listener " + form.dataset.listenerName + "? They are delivered again with the same webhook-id.";
      dialog.returnValue = "";
      dialog.showModal();
    });


    async function send(data) {
      result.className = "notice";
      result.textContent = "Replaying…";
      const response = await fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) {
        result.className = "notice bad";
        result.textContent = response.status === 403 ? "Your key may not replay." : "Replay failed (" + response.status + ").";
        return;
      }
      const answer = await response.json();
      result.className = "notice ok";
      result.textContent = "Replayed " + answer.replayed + " dead letter" + (answer.replayed === 1 ? "" : "s") + ": following their delivery below.";
      answer.eventIds.forEach(function (id) { setState(id, "pending"); });
      follow(answer.eventIds, 0);
    }

    function setState(id, state) {
      const row = form.querySelector('tr[data-id="' + CSS.escape(id) + '"]');
      if (!row) return;
      const badge = row.querySelector(".badge");
      badge.className = "badge " + state;
      badge.textContent = state;
      const box = row.querySelector("input[type=checkbox]");
      if (box) { box.checked = false; box.disabled = state !== "dead"; }
    }

    async function follow(ids, round) {
      if (ids.length === 0 || round > 60) return;
      await new Promise(function (resolve) { setTimeout(resolve, 1000); });
      const url = "/ui/dead-letters?handler=States&listener=" + encodeURIComponent(form.dataset.listener);
      const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      const states = (await response.json()).states;
      const open = ids.filter(function (id) {
        const state = states[id];
        if (state) setState(id, state);
        return state === "pending" || state === "failed-retrying";
      });
      follow(open, round + 1);
    }
  }

  // Replay jobs on a listener's page: each running job's bar and counts follow the hub once a second until none runs.
  function replays(list) {
    async function poll() {
      const response = await fetch(list.dataset.replays, { headers: { Accept: "application/json" }, credentials: "same-origin" });
      if (!response.ok) return;
      let running = false;
      (await response.json()).items.forEach(function (job) {
        const item = list.querySelector('li[data-job="' + CSS.escape(job.id) + '"]');
        if (!item) return;
        item.querySelector("progress").value = job.progress;
        const badge = item.querySelector("[data-state]");
        badge.className = "badge " + job.state;
        badge.textContent = job.state;
        item.querySelector("[data-counts]").textContent = job.matched + " matched, " + job.delivered + " delivered, " + job.failed + " failed";
        running = running || job.state === "running";
      });
      if (running) setTimeout(poll, 1000);
    }

    if (list.querySelector('[data-state].running')) setTimeout(poll, 1000);
  }

  // One confirmation dialog per page, shared by the replay forms: whichever asked last is answered.
  function confirmDialog(dialog) {
    dialog.addEventListener("close", function () {
      const pending = dialog.pending;
      dialog.pending = null;
      if (dialog.returnValue === "replay" && pending) pending.send(pending.data);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("dialog#confirm").forEach(confirmDialog);
    document.querySelectorAll("[data-live]").forEach(live);
    document.querySelectorAll("form[data-replay]").forEach(replay);
    document.querySelectorAll("[data-replays]").forEach(replays);
  });
})();
