// Backpropagation on a small fully connected ReLU network, in the site's notation:
// z^(l) = W^(l) a^(l-1) + b^(l), a^(l) = relu(z^(l)), a^(0) = x, l = ½ Σ (y − Y)².
// It mirrors src/backpropdoc (network.py, gradients.py, explain.py, training.py) line for
// line, so that the playground shows the numbers the Python package computes; the browser
// tests compare the two. A network is {weights: [W^(1), W^(2)], biases: [b^(1), b^(2)]},
// with weights[l - 1][j - 1][k - 1] = w_jk^(l), as W^(l)[j-1, k-1] in Python.

export const relu = (z) => (z > 0 ? z : 0);
// relu'(0) = 0, as in torch: any slope in [0, 1] is valid at the kink and torch picks 0.
export const reluSlope = (z) => (z > 0 ? 1 : 0);

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
    a.push(zl.map(relu));
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
  delta[L - 1] = trace.z[L - 1].map((z, j) => (trace.output[j] - Y[j]) * reluSlope(z));
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
    factors.push({
      role: "activation",
      derivative: d(aSymbol(layer, j), zSymbol(layer, j)),
      formula: `relu'(${zSymbol(layer, j)})`,
      value: reluSlope(trace.z[layer - 1][j - 1]),
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

// Numbers as the site prints them: Python's f"{value:.6g}", with "-0" shown as "0".
// toExponential rounds the exact binary value like Python, except that it breaks exact ties
// (123456.5) away from zero where Python rounds half to even; those are redone below.
// (Intl.NumberFormat would round the shortest decimal form instead: double rounding.)
export function formatNumber(value) {
  if (Number.isNaN(value)) return "nan";
  if (!Number.isFinite(value)) return value > 0 ? "inf" : "-inf";
  if (value === 0) return "0";
  let [mantissa, exponentText] = Math.abs(value).toExponential(5).split("e");
  const exact = Math.abs(value).toExponential(25).split("e");
  if (/^\d\.\d{4}[02468]50*$/.test(exact[0])) [mantissa, exponentText] = [exact[0].slice(0, 7), exact[1]];
  const exponent = Number(exponentText);
  const sign = value < 0 ? "-" : "";
  const digits = mantissa.replace(".", "").replace(/0+$/, ""); // significant digits
  if (exponent < -4 || exponent >= 6) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : "";
    const e = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
    return `${sign}${digits[0]}${fraction}e${e}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return sign + whole + (fraction ? `.${fraction}` : "");
}
