// The dashboard page: every server-sent event from /events is one Stats snapshot (JSON);
// render() draws it. Fields a server does not send (yet) show as "-" or an empty chart.
"use strict";
(function () {
  const SVG = "http://www.w3.org/2000/svg";
  const byId = (id) => document.getElementById(id);
  let updates = 0;
  let last = null;

  const show = (id, v) => { byId(id).textContent = v === undefined || v === null ? "-" : String(v); };
  const el = (tag, text) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; };
  const svg = (tag, attrs, text) => {
    const e = document.createElementNS(SVG, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };

  function rows(id, items, toRow, empty) {
    const target = byId(id);
    target.replaceChildren();
    if (!Array.isArray(items) || items.length === 0) { target.append(empty()); return; }
    for (const item of items) target.append(toRow(item));
  }

  function chart(perMinute) {
    const target = byId("chart");
    target.replaceChildren();
    const data = Array.isArray(perMinute) ? perMinute : [];
    if (data.length === 0) { show("chartNote", "no data yet"); return; }
    // one SVG unit per CSS pixel, so that bars fill the width and labels are not stretched
    const W = Math.max(300, Math.round(target.getBoundingClientRect().width) || 600);
    const H = 180, left = 28, bottom = 18, top = 6;
    target.setAttribute("viewBox", `0 0 ${W} ${H}`);
    const max = Math.max(1, ...data.map((d) => d.count || 0));
    const slot = (W - left) / data.length, plot = H - bottom - top;
    target.append(svg("line", { x1: left, y1: H - bottom, x2: W, y2: H - bottom }));
    target.append(svg("text", { x: 0, y: top + 10 }, String(max)));
    target.append(svg("text", { x: 0, y: H - bottom }, "0"));
    data.forEach((d, i) => {
      const h = Math.round(((d.count || 0) / max) * plot);
      const bar = svg("rect", { x: (left + i * slot + 1).toFixed(1), y: H - bottom - h,
        width: Math.max(1, slot - 2).toFixed(1), height: h });
      bar.append(svg("title", {}, `${d.minute}: ${d.count}`));
      target.append(bar);
    });
    target.append(svg("text", { x: left, y: H - 4 }, String(data[0].minute)));
    target.append(svg("text", { x: W, y: H - 4, "text-anchor": "end" }, String(data[data.length - 1].minute)));
    const total = data.reduce((sum, d) => sum + (d.count || 0), 0);
    show("chartNote", `${data.length} minutes, ${total} checkouts, oldest first`);
  }

  function render(s) {
    show("day", s.day);
    show("booksOut", s.booksOut);
    show("booksTotal", s.booksTotal);
    show("overdue", s.overdue);
    show("events", s.events);
    show("eventsPerSecond", typeof s.eventsPerSecond === "number" ? Math.round(s.eventsPerSecond) : undefined);
    show("lastEvent", s.lastEvent);
    chart(s.checkoutsPerMinute);
    rows("overdueBooks", s.overdueBooks, (b) => {
      const tr = el("tr");
      tr.append(el("td", b.title), el("td", b.member), el("td", b.daysOverdue));
      tr.lastChild.className = "num";
      return tr;
    }, () => { const tr = el("tr"); const td = el("td", "-"); td.colSpan = 3; tr.append(td); return tr; });
    rows("topBorrowers", s.topBorrowers, (b) => el("li", `${b.name} (${b.checkouts})`), () => el("li", "-"));
  }

  function connection(state) { // "connected", "reconnecting" or "disconnected"
    const c = byId("connection");
    c.textContent = state;
    c.className = "connection " + (state === "connected" ? "on" : "off");
  }

  const source = new EventSource("/events");
  source.onopen = () => connection("connected");
  // EventSource retries by itself after a dropped stream, unless it gave up (CLOSED)
  source.onerror = () => connection(source.readyState === EventSource.CLOSED ? "disconnected" : "reconnecting");
  source.onmessage = (e) => {
    last = JSON.parse(e.data);
    render(last);
    updates += 1;
    show("updates", updates);
    connection("connected");
  };

  // For people at the console and for the browser test: the latest snapshot received and how
  // many; draw a snapshot; hang up.
  window.dashboard = {
    render,
    stop() { source.close(); connection("disconnected"); },
    get updates() { return updates; },
    get last() { return last; },
  };
})();
