// The dev network's dashboard: draws the supervisor's live view (server-sent events) and sends its
// actions to the same operations as the CLI. Every URL is relative: the page lives under /<token>/.
const $ = (id) => document.getElementById(id);
const SVG = "http://www.w3.org/2000/svg";
const sat = (msat) => Math.floor(Number(msat) / 1000).toLocaleString("en-US");

function el(tag, attrs = {}, ...children) {
  const node = tag.startsWith("svg:")
    ? document.createElementNS(SVG, tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  for (const child of children) node.append(child);
  return node;
}

/**
 * Each channel once, opener first, each side's liquidity as that side reports it (its outbound
 * capacity; the other side's view of it, its inbound, lags while a payment settles).
 */
function channelsOf(view) {
  const byId = new Map();
  for (const [name, node] of Object.entries(view.nodes))
    for (const c of node.channels) {
      const entry = byId.get(c.channelId) ?? {
        id: c.channelId,
        from: c.outbound ? name : c.peer,
        to: c.outbound ? c.peer : name,
        sats: c.sats,
        fromMsat: c.outbound ? c.outboundMsat : c.inboundMsat,
        toMsat: c.outbound ? c.inboundMsat : c.outboundMsat,
        usable: true,
        announced: c.announced,
      };
      if (c.outbound) entry.fromMsat = c.outboundMsat;
      else entry.toMsat = c.outboundMsat;
      entry.usable &&= c.usable;
      byId.set(c.channelId, entry);
    }
  return [...byId.values()];
}

function drawGraph(view) {
  const svg = $("graph");
  const names = Object.keys(view.nodes);
  const [cx, cy, r] = [300, 180, names.length > 1 ? 130 : 0];
  const at = Object.fromEntries(
    names.map((n, i) => {
      const a = (2 * Math.PI * i) / names.length - Math.PI / 2;
      return [n, { x: cx + r * Math.cos(a), y: cy + r * Math.sin(a) }];
    }),
  );
  const parts = [];
  for (const c of channelsOf(view)) {
    const a = at[c.from];
    const b = at[c.to];
    if (!a || !b) continue;
    const total = Number(c.fromMsat) + Number(c.toMsat);
    const share = total > 0 ? Number(c.fromMsat) / total : 0.5;
    const mid = { x: a.x + (b.x - a.x) * share, y: a.y + (b.y - a.y) * share };
    const label = `${c.from} to ${c.to}, ${Number(c.sats).toLocaleString("en-US")} sat: ${c.from} has ${sat(c.fromMsat)} sat, ${c.to} ${sat(c.toMsat)} sat${c.usable ? "" : ", not usable"}${c.announced ? "" : ", private"}`;
    const g = el("svg:g", {
      class: `channel${c.usable ? "" : " unusable"}`,
      "data-channel-id": c.id,
      "data-from": c.from,
      "data-to": c.to,
      "data-from-msat": c.fromMsat,
      "data-to-msat": c.toMsat,
      "data-usable": c.usable,
      role: "img",
      "aria-label": label,
    });
    g.append(
      el("svg:title", {}, label),
      el("svg:line", { class: "local", x1: a.x, y1: a.y, x2: mid.x, y2: mid.y }),
      el("svg:line", { class: "remote", x1: mid.x, y1: mid.y, x2: b.x, y2: b.y }),
      el(
        "svg:text",
        { class: "edge-label", x: (a.x + b.x) / 2 + 6, y: (a.y + b.y) / 2 - 6 },
        `${sat(c.fromMsat)} | ${sat(c.toMsat)}${c.usable ? "" : " ✕"}`,
      ),
    );
    parts.push(g);
  }
  for (const [name, p] of Object.entries(at)) {
    const node = view.nodes[name];
    const g = el("svg:g", {
      class: `node${node.alive ? "" : " down"}`,
      "data-node": name,
      role: "img",
      "aria-label": `${name} (${node.kind})${node.alive ? "" : ", down"}`,
    });
    g.append(
      el("svg:circle", { cx: p.x, cy: p.y, r: 24 }),
      el("svg:text", { class: "node-label", x: p.x, y: p.y + 4, "text-anchor": "middle" }, name),
    );
    parts.push(g);
  }
  svg.replaceChildren(el("svg:title", {}, "Nodes and channels"), ...parts);
}

function list(items, empty) {
  return items.length === 0
    ? el("p", { class: "legend" }, empty)
    : el("ul", {}, ...items.map((text) => el("li", {}, text)));
}

function drawNodes(view) {
  const cards = Object.entries(view.nodes).map(([name, n]) => {
    const card = el("article", { "data-node": name, "aria-label": `node ${name}` });
    card.append(
      el("h3", {}, `${name} `, el("small", {}, `${n.kind}${n.alive ? "" : " — DOWN"}`)),
      el("div", { class: "id", title: "node id" }, n.nodeId),
      el(
        "dl",
        {},
        el("dt", {}, "on-chain"),
        el(
          "dd",
          { "data-field": "onchain" },
          n.error === undefined
            ? `${Number(n.onchainSats).toLocaleString("en-US")} sat (${Number(n.spendableSats).toLocaleString("en-US")} spendable)`
            : `unknown: no answer (${n.error})`,
        ),
        el("dt", {}, "in channels"),
        el(
          "dd",
          { "data-field": "lightning" },
          n.error === undefined ? `${Number(n.lightningSats).toLocaleString("en-US")} sat` : "unknown",
        ),
        el("dt", {}, "gRPC"),
        el("dd", {}, n.grpcAddress),
      ),
      el("h4", {}, "Channels"),
      list(
        n.channels.map(
          (c) =>
            `${c.outbound ? "→" : "←"} ${c.peer} ${Number(c.sats).toLocaleString("en-US")} sat, out ${sat(c.outboundMsat)} / in ${sat(c.inboundMsat)}${c.usable ? "" : " (not usable)"}`,
        ),
        "no channels",
      ),
      el("h4", {}, "Recent payments"),
      list(
        n.payments.map(
          (p) =>
            `${p.direction} ${p.amountMsat === undefined ? "?" : sat(p.amountMsat)} sat ${p.status} (${p.id.slice(0, 12)}…)`,
        ),
        "none",
      ),
      el("h4", {}, "Forwards"),
      list(
        n.forwards.map(
          (f) => `${f.amountMsat === undefined ? "?" : sat(f.amountMsat)} sat, fee ${f.feeMsat ?? "?"} msat`,
        ),
        "none",
      ),
      el(
        "details",
        {},
        el("summary", {}, "Log tail"),
        el("pre", { "aria-label": `${name} log tail` }, n.log.join("\n")),
      ),
    );
    return card;
  });
  $("nodes").replaceChildren(...cards);
}

function fillNodeSelects(names) {
  for (const select of document.querySelectorAll("select.nodes")) {
    const current = [...select.options].map((o) => o.value).join();
    if (current === names.join()) continue;
    const keep = select.value;
    select.replaceChildren(...names.map((n) => el("option", { value: n }, n)));
    if (names.includes(keep)) select.value = keep;
  }
  const second = names[1] ?? names[0];
  for (const id of ["pay-payer", "open-to", "close-to"])
    if (!$(id).dataset.touched && second) $(id).value = id === "pay-payer" ? names[0] : second;
  if (!$("pay-payee").dataset.touched && second) $("pay-payee").value = second;
}

function render(view) {
  $("height").textContent = String(view.height);
  $("bitcoind").textContent = view.bitcoind.alive ? "" : "bitcoind DOWN";
  fillNodeSelects(Object.keys(view.nodes));
  drawGraph(view);
  drawNodes(view);
}

/** Runs one operation like the CLI does; resolves with its result, or throws its error message. */
async function operation(op, args) {
  const response = await fetch("api/op", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ op, args }),
  });
  if (!response.ok) throw new Error(`the dashboard refused the request (${response.status})`);
  const reply = await response.json();
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.result;
}

const ACTIONS = {
  mine: async (f) => {
    const r = await operation("mine", { blocks: Number(f.blocks) });
    return `mined ${r.blocks}: height ${r.height}`;
  },
  fund: async (f) => {
    const r = await operation("fund", { node: f.node, sats: Number(f.sats) });
    return `sent ${r.sats} sat to ${r.node} (${r.txid})`;
  },
  pay: async (f) => {
    const invoice = await operation("invoice", { node: f.payee, amount: f.amount, description: "dashboard" });
    const r = await operation("pay", { node: f.payer, target: invoice.invoice });
    if (r.status !== "SUCCEEDED") throw new Error(`${r.node}'s payment ${r.paymentId} ${r.status}`);
    return `${r.status}: ${r.node} paid ${f.payee} ${f.amount} (payment ${r.paymentId})`;
  },
  open: async (f) => {
    const r = await operation("open", {
      from: f.from,
      to: f.to,
      sats: Number(f.sats),
      push: Number(f.push || 0) || undefined,
    });
    return `opened ${r.from} → ${r.to} ${r.sats} sat (${r.channelId})${r.usable ? ", usable" : ""}`;
  },
  close: async (f) => {
    const r = await operation("close", { from: f.from, to: f.to });
    return `closed ${r.from} → ${r.to} (${r.channelId}): ${r.state}`;
  },
};

for (const form of document.querySelectorAll("form")) {
  for (const select of form.querySelectorAll("select"))
    select.addEventListener("change", () => (select.dataset.touched = "1"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const out = form.querySelector("output");
    const button = form.querySelector("button");
    const fields = Object.fromEntries(new FormData(form));
    button.disabled = true;
    out.className = "";
    out.textContent = "working…";
    try {
      out.textContent = await ACTIONS[form.id](fields);
      out.className = "ok";
    } catch (error) {
      out.textContent = `✖ ${error.message}`;
      out.className = "error";
    } finally {
      button.disabled = false;
    }
  });
}

const events = new EventSource("api/events");
events.onmessage = (message) => {
  $("live").textContent = "live";
  $("live").className = "";
  render(JSON.parse(message.data));
};
events.addEventListener("failure", (message) => {
  $("live").textContent = `✖ ${JSON.parse(message.data).message}`;
  $("live").className = "down";
});
events.onerror = () => {
  $("live").textContent = "disconnected (the network is down?), retrying…";
  $("live").className = "down";
};
