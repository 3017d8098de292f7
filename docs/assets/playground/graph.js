// The playground's live computational graph: an SVG of computationalGraph() (backprop.js),
// laid out as docs/hooks/graphs.py lays out the backward page's figure, so the two read the
// same. Every node is a <g data-node data-value data-grad data-active>, every edge a
// <g data-source data-target data-derivative data-formula data-active>, the contract of
// the static figure. This file only draws; the numbers come from backprop.js.

import { formatNumber } from "./backprop.js";

const SVG = "http://www.w3.org/2000/svg";
// CSS pixels; drawn at this size and never shrunk (12-13 px text), so a narrow screen
// scrolls the figure sideways instead.
const NODE_W = 76;
const NODE_H = 52;
const PITCH = NODE_H + 10;
const MARGIN = 10;
const GAP_INTO_Z = 130; // inputs and parameters → z: many converging edges
const GAP = 56; // z → a, a → y, y → l

// A number as the figure shows it: 4 significant digits, a real minus sign (graphs.short).
export const short = (value) => formatNumber(value, 4).replace(/^-/, "\u2212");

// "w_11^(1)" → "w₁₁⁽¹⁾" (graphs.pretty).
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const SUP = { "(": "⁽", ")": "⁾", 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹" };
export function pretty(name) {
  return name
    .replace(/_(\d+)/g, (_, d) => [...d].map((c) => SUB[Number(c)]).join(""))
    .replace(/\^(\(\d+\))/g, (_, d) => [...d].map((c) => SUP[c]).join(""));
}

// The centre of every node (graphs.layout): one column per stage, left to right.
export function layout(graph) {
  const nodes = graph.nodes;
  const L = Math.max(...nodes.filter((n) => n.kind === "z").map((n) => n.layer));
  const byKey = new Map(nodes.map((n) => [`${n.kind} ${n.layer} ${n.index.join(",")}`, n.name]));
  const of = (kind, layer, ...index) => byKey.get(`${kind} ${layer} ${index.join(",")}`);
  const count = (pred) => nodes.filter(pred).length;
  const size = [count((n) => n.kind === "input")];
  for (let layer = 1; layer <= L; layer++) size.push(count((n) => n.kind === "z" && n.layer === layer));
  const range = (n) => Array.from({ length: n }, (_, i) => i + 1);
  const rows = new Map();
  const columns = [];
  const settle = (names, wanted) => {
    let row = -1;
    names.forEach((name, i) => {
      row = Math.max(wanted[i], row + 1);
      rows.set(name, row);
    });
    columns.push(names);
  };
  const below = (layer, k) => (layer === 1 ? of("input", 0, k) : of("activation", layer - 1, k));
  for (const layer of range(L)) {
    const [nIn, nOut] = [size[layer - 1], size[layer]];
    const order = [];
    const wanted = [];
    if (layer === 1) {
      // bands of one neuron's parameters, the inputs in the gaps between the bands
      const inputs = range(nIn).map((k) => below(1, k));
      for (const j of range(nOut)) {
        order.push(...range(nIn).map((k) => of("weight", 1, j, k)), of("bias", 1, j));
        if (j < nOut && inputs.length) order.push(inputs.shift());
      }
      order.push(...inputs);
      wanted.push(...order.map(() => 0));
    } else {
      for (const k of range(nIn)) {
        order.push(below(layer, k));
        wanted.push(rows.get(of("z", layer - 1, k)));
        for (const j of range(nOut)) {
          order.push(of("weight", layer, j, k));
          wanted.push(0);
        }
      }
      for (const j of range(nOut)) {
        order.push(of("bias", layer, j));
        wanted.push(0);
      }
    }
    settle(order, wanted);
    const centres = range(nOut).map((j) => {
      const own = [...range(nIn).map((k) => of("weight", layer, j, k)), of("bias", layer, j)];
      return own.reduce((sum, name) => sum + rows.get(name), 0) / own.length;
    });
    settle(range(nOut).map((j) => of("z", layer, j)), centres);
  }
  const outputs = nodes.filter((n) => n.kind === "output");
  settle(outputs.map((n) => n.name), outputs.map((n) => rows.get(of("z", L, ...n.index))));
  settle(["l"], [outputs.reduce((sum, n) => sum + rows.get(n.name), 0) / outputs.length]);

  const kinds = new Map(nodes.map((n) => [n.name, n.kind]));
  const positions = new Map();
  let x = MARGIN + NODE_W / 2;
  columns.forEach((names, c) => {
    for (const name of names) positions.set(name, [x, MARGIN + NODE_H / 2 + rows.get(name) * PITCH]);
    const intoZ = c + 1 < columns.length && kinds.get(columns[c + 1][0]) === "z";
    x += NODE_W + (intoZ ? GAP_INTO_Z : GAP);
  });
  return positions;
}

function node(tag, attributes = {}, text) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
  if (text !== undefined) n.textContent = text;
  return n;
}

// An edge's stroke follows the weight it carries (x_k → z or a → z: ∂z/∂a = w): its sign
// picks the colour class, |w| the width (1 px at 0, 4 px from |w| = 2 on). Other edges
// carry an input, a slope or (y − Y) and are drawn plain.
export function weightStroke(edge, kinds) {
  const carriesWeight = edge.target.startsWith("z_") && ["input", "activation"].includes(kinds.get(edge.source));
  if (!carriesWeight) return { sign: "none", width: 1.2 };
  const w = edge.derivative;
  return { sign: w > 0 ? "positive" : w < 0 ? "negative" : "zero", width: 1 + 1.5 * Math.min(Math.abs(w), 2) };
}

// Draw `graph` into `svg`. `known`: the names whose gradient the step-through has reached
// (the others show "∂ ?"); `current`: the node of the step shown, whose edges out are lit.
export function drawGraph(svg, graph, { known, current, label }) {
  const positions = layout(graph);
  const kinds = new Map(graph.nodes.map((n) => [n.name, n.kind]));
  let width = 0;
  let height = 0;
  for (const [x, y] of positions.values()) {
    width = Math.max(width, x + NODE_W / 2 + MARGIN);
    height = Math.max(height, y + NODE_H / 2 + MARGIN);
  }
  svg.setAttribute("width", width);
  svg.setAttribute("height", height);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const edges = graph.edges.map((edge) => {
    const [sx, sy] = positions.get(edge.source);
    const [tx, ty] = positions.get(edge.target);
    const [x1, y1, x2, y2] = [sx + NODE_W / 2, sy, tx - NODE_W / 2, ty];
    const length = Math.hypot(x2 - x1, y2 - y1);
    const [ux, uy] = [(x2 - x1) / length, (y2 - y1) / length];
    const tip = [x2 - ux, y2 - uy];
    const back = [tip[0] - 8 * ux, tip[1] - 8 * uy];
    const wing = [-uy * 4, ux * 4];
    const head = `M${tip[0].toFixed(1)} ${tip[1].toFixed(1)}L${(back[0] + wing[0]).toFixed(1)} ${(back[1] + wing[1]).toFixed(1)}L${(back[0] - wing[0]).toFixed(1)} ${(back[1] - wing[1]).toFixed(1)}Z`;
    // label where the edge is apart from its neighbours (graphs.svg)
    let at = 0.5;
    if (kinds.get(edge.target) === "z") {
      const reach = ["input", "activation"].includes(kinds.get(edge.source)) ? 28 : 80;
      at = reach / (tx - sx - NODE_W);
    }
    const { sign, width: strokeWidth } = weightStroke(edge, kinds);
    const lit = edge.source === current;
    const classes = ["bp-gedge", `bp-w-${sign}`];
    if (!edge.active) classes.push("bp-inactive");
    if (lit) classes.push("bp-lit");
    const g = node("g", {
      class: classes.join(" "),
      "data-source": edge.source,
      "data-target": edge.target,
      "data-derivative": String(edge.derivative),
      "data-formula": edge.formula,
      "data-active": String(edge.active),
      "data-sign": sign,
    });
    g.append(
      node("line", { x1: x1.toFixed(1), y1: y1.toFixed(1), x2: back[0].toFixed(1), y2: back[1].toFixed(1), "stroke-width": String(lit ? Math.max(strokeWidth, 3) : strokeWidth) }),
      node("path", { d: head }),
      node("text", { x: (x1 + at * (x2 - x1)).toFixed(1), y: (y1 + at * (y2 - y1) + 4).toFixed(1) }, short(edge.derivative)),
    );
    return g;
  });
  const nodes = graph.nodes.map((n) => {
    const [x, y] = positions.get(n.name);
    const revealed = known.has(n.name);
    const classes = ["bp-gnode"];
    if (!n.active) classes.push("bp-inactive");
    if (!revealed) classes.push("bp-pending");
    if (n.name === current) classes.push("bp-current");
    const g = node("g", {
      class: classes.join(" "),
      "data-node": n.name,
      "data-value": String(n.value),
      "data-grad": String(n.grad),
      "data-active": String(n.active),
      "data-known": String(revealed),
    });
    g.append(
      node("rect", { x: x - NODE_W / 2, y: y - NODE_H / 2, width: NODE_W, height: NODE_H, rx: 6 }),
      node("text", { class: "bp-gname", x, y: y - 9 }, pretty(n.name)),
      node("text", { class: "bp-gvalue", x, y: y + 6 }, short(n.value)),
      node("text", { class: "bp-ggrad", x, y: y + 20 }, `∂ ${revealed ? short(n.grad) : "?"}`),
    );
    return g;
  });
  svg.replaceChildren(node("title", {}, label), ...edges, ...nodes);
  return positions;
}
