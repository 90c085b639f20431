// fortros-console's page script (plain JS, no build step): refreshes a page's live part and follows logs over SSE.
// Everything from the server lands as text (textContent) or as HTML the server already escaped.
'use strict';
/* global document, setInterval, fetch, EventSource */

/** How often the live part of a page is fetched again (ms) when the page does not say (data-refresh-ms). */
const DEFAULT_REFRESH_MS = 2000;
/** Lines kept in a log view; older ones are dropped from the top. */
const MAX_LOG_LINES = 2000;

function refreshLive(live) {
  const src = live.dataset.live;
  const every = Number(live.dataset.refreshMs) || DEFAULT_REFRESH_MS;
  let busy = false;
  setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(src, { cache: 'no-store' });
      if (res.ok || res.status === 503) live.innerHTML = await res.text();
    } catch {
      // the console itself is gone: keep what is shown
    } finally {
      busy = false;
    }
  }, every);
}

function followLog(pre) {
  const status = document.getElementById('log-status');
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const events = new EventSource(pre.dataset.sse);
  // the server sends the last lines again on every (re)connection: start over rather than show them twice
  events.onopen = () => {
    pre.replaceChildren();
    say('following');
  };
  events.addEventListener('line', (e) => {
    const { at, line } = JSON.parse(e.data);
    const row = document.createElement('div');
    row.className = 'line';
    row.textContent = at ? `${at}  ${line}` : line;
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    pre.appendChild(row);
    while (pre.childElementCount > MAX_LOG_LINES) pre.firstElementChild.remove();
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  });
  events.addEventListener('down', (e) => {
    say(`stopped: ${JSON.parse(e.data).message}`);
    events.close();
  });
  events.addEventListener('end', (e) => {
    say(`stopped: ${JSON.parse(e.data).reason}`);
    events.close();
  });
  events.onerror = () => say('reconnecting…');
}

document.addEventListener('DOMContentLoaded', () => {
  const live = document.getElementById('live');
  if (live && live.dataset.live) refreshLive(live);
  const log = document.getElementById('log');
  if (log && log.dataset.sse) followLog(log);
});
