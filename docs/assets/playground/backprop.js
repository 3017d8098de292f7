// Backpropagation on a small fully connected ReLU network, in the site's notation:
// z^(l) = W^(l) a^(l-1) + b^(l), a^(l) = relu(z^(l)), a^(0) = x, l = ½ Σ (y − Y)².
// It mirrors src/backpropdoc (network.py, gradients.py, explain.py, training.py) line for
// line, so that the playground shows the numbers the Python package computes; the browser
// tests compare the two. A network is {weights: [W^(1), W^(2)], biases: [b^(1), b^(2)],
// output?: "relu" | "identity"}, with weights[l - 1][j - 1][k - 1] = w_jk^(l), as
// W^(l)[j-1, k-1] in Python; `output` is the output layer's f (Network's output_activation),
// ReLU unless it says "identity". The hidden layers are always ReLU.

export const relu = (z) => (z > 0 ? z : 0);
// relu'(0) = 0, as in torch: any slope in [0, 1] is valid at the kink and torch picks 0.
export const reluSlope = (z) => (z > 0 ? 1 : 0);

// f and f' by name, with the name explain() writes in f'(z): relu'(z_1^(2)), id'(z_1^(2)).
export const ACTIVATIONS = {
  relu: { f: relu, slope: reluSlope, text: "relu" },
  identity: { f: (z) => z, slope: () => 1, text: "id" },
};

// f of layer `layer` (1 … L): the output layer's may be the identity.
export function activationOf(net, layer) {
  const output = net.output ?? "relu";
  if (!(output in ACTIVATIONS)) throw new Error(`unknown output activation: ${output}`);
  return layer === net.weights.length ? ACTIVATIONS[output] : ACTIVATIONS.relu;
}

// The original notebook's example, as on every page: x = (2, 3), Y = 5, learning rate 0.5
// (tests/browser/test_playground.py checks it against notebook_network() and the pages).
export function seedExample() {
  return {
    x: [2, 3],
    Y: [5],
    lr: 0.5,
    net: {
      weights: [
        [[1, 0], [1, 0], [0, 0]],
        [[1, 1, 0]],
      ],
      biases: [[0, 0, 0], [0]],
      output: "relu",
    },
  };
}

// Sum in index order, starting from the first product, as torch does for these sizes.
const dot = (row, vector) => row.reduce((sum, w, k) => sum + w * vector[k], 0);

// Forward pass: every z^(l) (z[l-1]) and a^(l) (a[l]); a[0] is x.
export function forward(net, x) {
  const z = [];
  const a = [x];
  net.weights.forEach((W, i) => {
    const zl = W.map((row, j) => dot(row, a[i]) + net.biases[i][j]);
    z.push(zl);
    a.push(zl.map(activationOf(net, i + 1).f));
  });
  return { z, a, output: a[a.length - 1] };
}

// l = ½ Σ_j (y_j − Y_j)²
export const loss = (y, Y) => 0.5 * y.reduce((sum, yj, j) => sum + (yj - Y[j]) ** 2, 0);

// δ^(l) = ∂l/∂z^(l) for l = 1 … L (BP1 and BP2), like gradients.error_signals.
export function errorSignals(net, trace, Y) {
  const L = trace.z.length;
  const delta = new Array(L);
  // BP1: δ^(L) = (y − Y) ⊙ f'(z^(L))
  const outputSlope = activationOf(net, L).slope;
  delta[L - 1] = trace.z[L - 1].map((z, j) => (trace.output[j] - Y[j]) * outputSlope(z));
  for (let l = L - 1; l > 0; l--) {
    // BP2: δ^(l) = (W^(l+1))ᵀ δ^(l+1) ⊙ f'(z^(l)); column k of W^(l+1) meets δ^(l+1)
    const W = net.weights[l];
    delta[l - 1] = trace.z[l - 1].map(
      (z, k) => W.reduce((sum, row, j) => sum + delta[l][j] * row[k], 0) * reluSlope(z),
    );
  }
  return delta;
}

// Every ∂l/∂W^(l) and ∂l/∂b^(l), shaped like the parameters, like gradients.manual_gradients.
export function manualGradients(net, x, Y) {
  const trace = forward(net, x);
  const delta = errorSignals(net, trace, Y);
  return {
    // BP3: ∂l/∂W^(l) = δ^(l) (a^(l-1))ᵀ
    weights: delta.map((d, i) => d.map((dj) => trace.a[i].map((ak) => dj * ak))),
    // BP4: ∂l/∂b^(l) = δ^(l)
    biases: delta.map((d) => d.slice()),
  };
}

// One gradient-descent update θ ← θ − η ∂l/∂θ; returns a new network, like training.sgd_step.
export function sgdStep(net, grads, lr) {
  const update = (theta, g) => theta - lr * g;
  return {
    weights: net.weights.map((W, i) => W.map((row, j) => row.map((w, k) => update(w, grads.weights[i][j][k])))),
    biases: net.biases.map((b, i) => b.map((bj, j) => update(bj, grads.biases[i][j]))),
    output: net.output ?? "relu",
  };
}

// Every parameter name in the order of explain.parameters: per layer the weights row by
// row, then the biases.
export function parameterNames(net) {
  const names = [];
  net.weights.forEach((W, i) => {
    W.forEach((row, j) => row.forEach((_, k) => names.push(`w_${j + 1}${k + 1}^(${i + 1})`)));
    W.forEach((_, j) => names.push(`b_${j + 1}^(${i + 1})`));
  });
  return names;
}

// "w_11^(1)" → {kind: "w", layer: 1, j: 1, k: 1}; "b_1^(2)" → {kind: "b", layer: 2, j: 1}.
export function parseParameter(name) {
  const match = /^([wb])_(\d)(\d)?\^\((\d+)\)$/.exec(name);
  if (!match || (match[1] === "w") !== (match[3] !== undefined)) {
    throw new Error(`not a parameter name: ${name}`);
  }
  const [, kind, j, k, layer] = match;
  return { kind, layer: Number(layer), j: Number(j), k: k === undefined ? null : Number(k) };
}

// The value of parameter `name` in a network or in a set of gradients (same shapes).
export function entry(params, name) {
  const { kind, layer, j, k } = parseParameter(name);
  return kind === "w" ? params.weights[layer - 1][j - 1][k - 1] : params.biases[layer - 1][j - 1];
}

// The chain of factors whose product is ∂l/∂θ, in the order of explain.explain: from the
// loss down to θ. Each factor has the role, derivative and formula of explain.Factor, in
// the plain text of Chain.text() ("relu'(z_1^(2))"), and its value. As in explain.py the
// path is walked from θ upwards; in the 2-3-1 network every layer above the hidden one
// has a single neuron, so each link is one weight (explain's "upstream" sum never occurs).
export function chainFactors(net, x, Y, name) {
  const theta = parseParameter(name);
  const trace = forward(net, x);
  const L = trace.z.length;
  const single = net.weights[L - 1].length === 1;
  const aSymbol = (layer, j) => {
    if (layer === 0) return `x_${j}`;
    if (layer === L) return single ? "y" : `y_${j}`;
    return `a_${j}^(${layer})`;
  };
  const zSymbol = (layer, j) => `z_${j}^(${layer})`;
  const d = (top, bottom) => `∂${top}/∂${bottom}`;

  let { layer, j } = theta;
  const factors = [
    theta.kind === "w"
      ? { role: "input", derivative: d(zSymbol(layer, j), name), formula: aSymbol(layer - 1, theta.k), value: trace.a[layer - 1][theta.k - 1] }
      : { role: "bias", derivative: d(zSymbol(layer, j), name), formula: "1", value: 1 },
  ];
  for (;;) {
    const f = activationOf(net, layer);
    factors.push({
      role: "activation",
      derivative: d(aSymbol(layer, j), zSymbol(layer, j)),
      formula: `${f.text}'(${zSymbol(layer, j)})`,
      value: f.slope(trace.z[layer - 1][j - 1]),
    });
    if (layer === L) {
      const y = aSymbol(L, j);
      const target = single ? "Y" : `Y_${j}`;
      factors.push({ role: "loss", derivative: `∂l/∂${y}`, formula: `(${y} - ${target})`, value: trace.output[j - 1] - Y[j - 1] });
      break;
    }
    if (net.weights[layer].length > 1) throw new Error("chainFactors needs one neuron per layer above the parameter");
    factors.push({
      role: "weight",
      derivative: d(zSymbol(layer + 1, 1), aSymbol(layer, j)),
      formula: `w_1${j}^(${layer + 1})`,
      value: net.weights[layer][0][j - 1],
    });
    layer += 1;
    j = 1;
  }
  return factors.reverse();
}

// The product of the factors, multiplied in order like math.prod in Chain.value.
export const chainValue = (factors) => factors.reduce((product, f) => product * f.value, 1);

// Numbers as the site prints them: Python's f"{value:.6g}" (or .4g, … with `digits`), with
// "-0" shown as "0". toExponential rounds the exact binary value like Python, except that it
// breaks exact ties (123456.5) away from zero where Python rounds half to even; those are
// redone below. (Intl.NumberFormat would round the shortest decimal form instead: double
// rounding.)
export function formatNumber(value, digits = 6) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return "0";
  let [mantissa, exponentText] = Math.abs(value).toExponential(digits - 1).split("e");
  const exact = Math.abs(value).toExponential(25).split("e");
  const tie = new RegExp(`^\\d\\.\\d{${digits - 2}}[02468]50*$`);
  if (tie.test(exact[0])) [mantissa, exponentText] = [exact[0].slice(0, digits + 1), exact[1]];
  const exponent = Number(exponentText);
  const sign = value < 0 ? "-" : "";
  const significant = mantissa.replace(".", "").replace(/0+$/, "");
  if (exponent < -4 || exponent >= digits) {
    const fraction = significant.length > 1 ? `.${significant.slice(1)}` : "";
    const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${significant[0]}${fraction}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${significant}`;
  const whole = significant.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = significant.slice(exponent + 1);
  return sign + whole + (fraction ? `.${fraction}` : "");
}

// ---- the computational graph, as backpropdoc.computational_graph builds it ----------------

// Every quantity of the forward pass is a node {name, kind, layer, index, value, grad,
// active}, in forward order (a layer's weights, biases, z, a); an edge {source, target,
// derivative, formula, active} carries the local derivative ∂target/∂source. Names,
// order, values, gradients and the inactive marks are graph.py's (the tests compare them).
export function computationalGraph(net, x, Y) {
  const trace = forward(net, x);
  const delta = errorSignals(net, trace, Y);
  const grads = manualGradients(net, x, Y);
  const L = net.weights.length;
  const sizes = [x.length, ...net.weights.map((W) => W.length)];
  const single = sizes[L] === 1;
  const aName = (layer, j) => {
    if (layer === 0) return `x_${j}`;
    if (layer === L) return single ? "y" : `y_${j}`;
    return `a_${j}^(${layer})`;
  };
  const zName = (layer, j) => `z_${j}^(${layer})`;
  // ∂l/∂a^(l) = (W^(l+1))ᵀ δ^(l+1) (BP2 before the ⊙), summed in the order of errorSignals
  const below = (layer) =>
    trace.a[layer].map((_, k) => net.weights[layer].reduce((sum, row, j) => sum + delta[layer][j] * row[k], 0));
  const nodes = x.map((value, k) => ({ name: aName(0, k + 1), kind: "input", layer: 0, index: [k + 1], value, grad: below(0)[k] }));
  const edges = [];
  const range = (n) => Array.from({ length: n }, (_, i) => i + 1);
  for (const layer of range(L)) {
    const W = net.weights[layer - 1];
    const aBelow = trace.a[layer - 1];
    const aGrad = layer === L ? trace.output.map((y, j) => y - Y[j]) : below(layer);
    for (const j of range(sizes[layer])) {
      for (const k of range(sizes[layer - 1])) {
        const w = { name: `w_${j}${k}^(${layer})`, kind: "weight", layer, index: [j, k], value: W[j - 1][k - 1], grad: grads.weights[layer - 1][j - 1][k - 1] };
        nodes.push(w);
        edges.push({ source: w.name, target: zName(layer, j), derivative: aBelow[k - 1], formula: aName(layer - 1, k) });
        edges.push({ source: aName(layer - 1, k), target: zName(layer, j), derivative: w.value, formula: w.name });
      }
    }
    for (const j of range(sizes[layer])) {
      const b = { name: `b_${j}^(${layer})`, kind: "bias", layer, index: [j], value: net.biases[layer - 1][j - 1], grad: grads.biases[layer - 1][j - 1] };
      nodes.push(b);
      edges.push({ source: b.name, target: zName(layer, j), derivative: 1, formula: "1" });
    }
    for (const j of range(sizes[layer])) {
      nodes.push({ name: zName(layer, j), kind: "z", layer, index: [j], value: trace.z[layer - 1][j - 1], grad: delta[layer - 1][j - 1] });
    }
    for (const j of range(sizes[layer])) {
      nodes.push({ name: aName(layer, j), kind: layer === L ? "output" : "activation", layer, index: [j], value: trace.a[layer][j - 1], grad: aGrad[j - 1] });
    }
    const f = activationOf(net, layer);
    for (const j of range(sizes[layer])) {
      const z = zName(layer, j);
      edges.push({ source: z, target: aName(layer, j), derivative: f.slope(trace.z[layer - 1][j - 1]), formula: `${f.text}'(${z})` });
    }
  }
  for (const j of range(sizes[L])) {
    edges.push({ source: aName(L, j), target: "l", derivative: trace.output[j - 1] - Y[j - 1], formula: `(${aName(L, j)} - ${single ? "Y" : `Y_${j}`})` });
  }
  nodes.push({ name: "l", kind: "loss", layer: L + 1, index: [], value: loss(trace.output, Y), grad: 1 });
  return markInactive(nodes, edges);
}

// What lies only on paths through an activation with slope 0 is inactive (graph.py's
// _mark_inactive): nodes are in forward order, so one pass each way settles it.
function markInactive(nodes, edges) {
  const open = (e) => !(e.source.startsWith("z_") && e.derivative === 0);
  const fromLeaves = new Map(nodes.map((n) => [n.name, ["input", "weight", "bias"].includes(n.kind)]));
  for (const n of nodes) {
    if (edges.some((e) => e.target === n.name && fromLeaves.get(e.source) && open(e))) fromLeaves.set(n.name, true);
  }
  const toLoss = new Map(nodes.map((n) => [n.name, n.kind === "loss"]));
  for (const n of [...nodes].reverse()) {
    if (edges.some((e) => e.source === n.name && toLoss.get(e.target) && open(e))) toLoss.set(n.name, true);
  }
  return {
    nodes: nodes.map((n) => ({ ...n, active: fromLeaves.get(n.name) && toLoss.get(n.name) })),
    edges: edges.map((e) => ({ ...e, active: open(e) && fromLeaves.get(e.source) && toLoss.get(e.target) })),
  };
}

// The backward pass over the graph, one node per step, from l back to the inputs (the
// reverse of the forward order, so every node's successors are done before it). A node's
// gradient is the sum, over the edges out of it, of upstream gradient × local derivative:
// ∂l/∂u = Σ_v ∂l/∂v · ∂v/∂u. One edge out is a plain product; several are paths meeting.
export function backwardSteps(graph) {
  const known = new Map();
  return [...graph.nodes].reverse().map((node) => {
    if (node.kind === "loss") {
      known.set(node.name, 1);
      return { node: node.name, terms: [], value: 1 };
    }
    const terms = graph.edges
      .filter((e) => e.source === node.name)
      .map((e) => {
        const upstream = known.get(e.target);
        return { target: e.target, formula: e.formula, upstream, derivative: e.derivative, product: upstream * e.derivative };
      });
    const value = terms.reduce((sum, t) => sum + t.product, 0);
    known.set(node.name, value);
    return { node: node.name, terms, value };
  });
}

// ---- a seeded random start ----------------------------------------------------------------

// mulberry32 (Tommy Ettinger's 32-bit generator): the same seed, the same sequence, in any
// browser. Each call returns an integer 0 … 2^32 − 1.
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

// Random weights for a network shaped like `net`: each w_jk^(l), in the order of
// parameterNames, is (n mod 201 − 100) / 100 for the next n of mulberry32(seed), a number
// from −1 to 1 in steps of 0.01; every bias is 0 (as random_network starts them).
export const SEED_MAX = 2 ** 32 - 1;
export function randomWeights(net, seed) {
  if (!Number.isInteger(seed) || seed < 0 || seed > SEED_MAX) throw new RangeError(`seed must be a whole number 0 … ${SEED_MAX}`);
  const next = mulberry32(seed);
  return {
    weights: net.weights.map((W) => W.map((row) => row.map(() => ((next() % 201) - 100) / 100))),
    biases: net.biases.map((b) => b.map(() => 0)),
    output: net.output ?? "relu",
  };
}
