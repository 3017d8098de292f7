// The playground widget: fields for x, Y, every weight and bias, the output activation, the
// learning rate and a seed for random weights; live forward pass, loss, error signals δ,
// the computational graph with a backward step-through (graph.js draws it), all gradients,
// the chain rule for one parameter and a loss-history chart on a log scale. The formulas
// live in backprop.js; this file only draws.
//
// Every number is shown as the site prints it (6 significant digits) in an element with
// data-quantity="<name>" and its full value in data-value, so that tests can read both.

import {
  backwardSteps,
  chainFactors,
  computationalGraph,
  chainValue,
  entry,
  errorSignals,
  formatNumber,
  forward,
  loss,
  manualGradients,
  activationOf,
  parameterNames,
  parseParameter,
  randomWeights,
  SEED_MAX,
  seedExample,
  sgdStep,
} from "./backprop.js";
import { drawGraph, short } from "./graph.js";

const TEXT = {
  en: {
    data: "Input x and target Y",
    layer: (l) => (l === 1 ? "Hidden layer: weights W^(1) and biases b^(1)" : "Output layer: weights W^(2) and bias b^(2)"),
    training: "Gradient descent",
    lr: "learning rate η",
    step: "Step",
    reset: "Reset",
    stepHelp: "Step applies θ ← θ − η ∂l/∂θ to every weight and bias; Reset returns to the original notebook's example.",
    forward: "Forward pass",
    inputs: "Inputs",
    hidden: "Hidden layer",
    output: "Output",
    neuron: "neuron",
    lossTitle: "Loss",
    backward: "Backward pass",
    deltas: "Error signals δ = ∂l/∂z",
    gradients: "Gradients",
    parameter: "parameter",
    value: "value",
    gradient: "gradient ∂l/∂θ",
    chain: "Chain rule for one parameter",
    pick: "Parameter",
    factor: "factor",
    formula: "formula",
    product: "product = gradient",
    history: "Loss history",
    historyAxis: "step",
    steps: "steps: ",
    point: (i, l) => `step ${i}: l = ${l}`,
    dead: "inactive on this sample — passes no gradient",
    alive: "active",
    status: (y, l, n) => `y = ${y}, loss l = ${l} after ${n} ${n === 1 ? "step" : "steps"}.`,
    invalid: "Enter a number.",
    stale: (field) => `${field} is empty: the numbers below still use its last value.`,
    overflow: "Too large: the numbers would overflow. Enter a smaller value.",
    badLr: "The learning rate must be a number greater than 0.",
    diverged: "This step would make the numbers overflow; lower the learning rate.",
    noscript: "The playground needs JavaScript.",
    outputActivation: "output activation f",
    outputChoices: { relu: "ReLU", identity: "identity (y = z)" },
    randomStart: "Random start",
    seed: "seed",
    randomButton: "Random weights",
    randomHelp: "Random weights draws every weight from the seed (mulberry32, see backprop.js): the same seed, the same weights; the biases start at 0.",
    badSeed: `The seed must be a whole number from 0 to ${SEED_MAX}.`,
    randomDone: (seed) => `Random weights from seed ${seed}.`,
    logAxis: "l (log scale)",
    zeroTick: "0",
    deadMark: "loss stopped falling: dead network",
    deadText: (l, summary) => `${summary}. The loss stopped falling at ${l}: every gradient is 0, so no step changes anything. The network is dead: the output neuron is inactive on the only sample it learns from.`,
    graph: "Computational graph and the backward pass, step by step",
    graphLabel: "The computational graph of the network above: every quantity with its forward value and its gradient, every edge with its local derivative.",
    graphHelp: "Each box is one quantity: its name, its forward value and, after ∂, its gradient ∂l/∂(it). The number on an arrow is its local derivative. The forward pass runs along the arrows, the backward pass against them.",
    legendPositive: "blue: weight w > 0",
    legendNegative: "orange: weight w < 0",
    legendWidth: "thicker: larger |w|",
    legendInactive: "grey, dashed: inactive on this sample (relu′ = 0 on the way)",
    legendLit: "thick pink: the edges the current step multiplies along",
    fullStop: ".",
    stepBack: "Step backward",
    runAll: "Run all",
    resetSteps: "Reset steps",
    scrollHint: "The graph scrolls sideways.",
    stepIntro: (n) => `All ${n} gradients are shown. Press Step backward to run the backward pass one node at a time, from l back to the inputs.`,
    stepCleared: "No gradient computed yet. Press Step backward: the backward pass starts at l.",
    stepCount: (k, n) => `Step ${k} of ${n}: `,
    lossStart: ": the backward pass starts at the loss.",
    pathsMeet: (name, n) => [`${n} paths meet at `, name, ": its gradient is the sum of their products."],
    stopped: (name) => ["relu′(", name, ") = 0: no gradient flows further back through this neuron (inactive on this sample)."],
  },
  zh: {
    data: "输入 x 与目标 Y",
    layer: (l) => (l === 1 ? "隐藏层：权重 W^(1) 与偏置 b^(1)" : "输出层：权重 W^(2) 与偏置 b^(2)"),
    training: "梯度下降",
    lr: "学习率 η",
    step: "单步更新",
    reset: "重置",
    stepHelp: "单步更新对每个权重和偏置执行 θ ← θ − η ∂l/∂θ；重置回到原笔记本的示例。",
    forward: "前向传播",
    inputs: "输入",
    hidden: "隐藏层",
    output: "输出",
    neuron: "神经元",
    lossTitle: "损失",
    backward: "反向传播",
    deltas: "误差信号 δ = ∂l/∂z",
    gradients: "梯度",
    parameter: "参数",
    value: "数值",
    gradient: "梯度 ∂l/∂θ",
    chain: "单个参数的链式法则",
    pick: "参数",
    factor: "因子",
    formula: "公式",
    product: "乘积 = 梯度",
    history: "损失历史",
    historyAxis: "步数",
    steps: "步数：",
    point: (i, l) => `第 ${i} 步：l = ${l}`,
    dead: "在这个样本上未被激活（不传递梯度）",
    alive: "被激活",
    status: (y, l, n) => `${n} 步之后：y = ${y}，损失 l = ${l}。`,
    invalid: "请输入一个数。",
    stale: (field) => `${field} 为空：下面的数值仍使用它上一次的值。`,
    overflow: "数值太大，计算会溢出。请输入更小的值。",
    badLr: "学习率必须是大于 0 的数。",
    diverged: "这一步会使数值溢出，请调小学习率。",
    noscript: "此交互演示需要 JavaScript。",
    outputActivation: "输出激活函数 f",
    outputChoices: { relu: "ReLU", identity: "恒等（y = z）" },
    randomStart: "随机初始化",
    seed: "seed",
    randomButton: "随机权重",
    randomHelp: "「随机权重」由 seed 生成每一个权重（mulberry32 算法，见 backprop.js）：seed 相同，权重就相同；偏置从 0 开始。",
    badSeed: `seed 必须是 0 到 ${SEED_MAX} 之间的整数。`,
    randomDone: (seed) => `已由 seed ${seed} 生成随机权重。`,
    logAxis: "l（对数刻度）",
    zeroTick: "0",
    deadMark: "损失不再下降：网络已死亡",
    deadText: (l, summary) => `${summary}。损失停在 ${l}，不再下降：所有梯度都为零，再更新也不会有任何变化。网络已经死亡：输出神经元在它用来学习的唯一样本上未被激活。`,
    graph: "计算图与逐步反向传播",
    graphLabel: "上面这个网络的计算图：每个量标出前向值和梯度，每条边标出局部导数。",
    graphHelp: "每个方框是一个量：名称、前向值，以及 ∂ 之后的梯度 ∂l/∂（该量）。箭头上的数是局部导数。前向传播顺着箭头，反向传播逆着箭头。",
    legendPositive: "蓝色：权重 w > 0",
    legendNegative: "橙色：权重 w < 0",
    legendWidth: "越粗：|w| 越大",
    legendInactive: "灰色虚线：在这个样本上未被激活（路径上 relu′ = 0）",
    legendLit: "粉色粗线：当前这一步相乘所沿的边",
    fullStop: "。",
    stepBack: "反向一步",
    runAll: "全部走完",
    resetSteps: "重置步骤",
    scrollHint: "计算图可以左右滚动。",
    stepIntro: (n) => `全部 ${n} 个梯度都已显示。按「反向一步」，从 l 开始逐个节点地执行反向传播，直到输入。`,
    stepCleared: "还没有计算任何梯度。按「反向一步」：反向传播从 l 开始。",
    stepCount: (k, n) => `第 ${k} 步（共 ${n} 步）：`,
    lossStart: "：反向传播从损失开始。",
    pathsMeet: (name, n) => [`${n} 条路径在 `, name, " 汇合：它的梯度是各条路径乘积之和。"],
    stopped: (name) => ["relu′(", name, ") = 0：梯度无法再经过这个神经元向回传播（在这个样本上未被激活）。"],
  },
};

// Helpers for building DOM without innerHTML.
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

// "w_11^(1)" → w<sub>11</sub><sup>(1)</sup>: the notation of the site, in plain HTML.
function math(text) {
  const span = el("span", { class: "bp-math" });
  for (const part of text.split(/(_\w+|\^\(\d+\))/)) {
    if (part.startsWith("_")) span.append(el("sub", {}, part.slice(1)));
    else if (part.startsWith("^(")) span.append(el("sup", {}, part.slice(1)));
    else if (part) span.append(part);
  }
  return span;
}

// Options of a <select> hold text only: "w_11^(1)" → "w₁₁⁽¹⁾".
const SUB = { 0: "₀", 1: "₁", 2: "₂", 3: "₃", 4: "₄", 5: "₅", 6: "₆", 7: "₇", 8: "₈", 9: "₉" };
const SUP = { 0: "⁰", 1: "¹", 2: "²", 3: "³", 4: "⁴", 5: "⁵", 6: "⁶", 7: "⁷", 8: "⁸", 9: "⁹", "(": "⁽", ")": "⁾" };
const unicodeMath = (text) =>
  text.replace(/_(\d+)/g, (_, d) => [...d].map((c) => SUB[c]).join(""))
    .replace(/\^(\(\d+\))/g, (_, d) => [...d].map((c) => SUP[c]).join(""));

// Ids may not contain ^ ( ) /: "dl/dw_11^(1)" → "pg-dl-dw-11-1".
const idFor = (prefix, name) => `pg-${prefix}${name.replace(/[^A-Za-z0-9]+/g, "-").replace(/-$/, "")}`;

// A number display: formatted text plus the exact value for tests.
function number(name) {
  return el("span", { class: "bp-num", id: idFor("out-", name), "data-quantity": name });
}

// Every number the widget would show for this state is finite: parameters, the forward pass,
// the loss and every gradient.
function finiteState(net, x, Y) {
  const trace = forward(net, x);
  const grads = manualGradients(net, x, Y);
  const all = [
    ...net.weights.flat(2),
    ...net.biases.flat(),
    ...trace.z.flat(),
    ...trace.a.flat(),
    loss(trace.output, Y),
    ...grads.weights.flat(2),
    ...grads.biases.flat(),
  ];
  return all.every(Number.isFinite);
}

function setNumber(node, value) {
  node.textContent = formatNumber(value);
  node.dataset.value = String(value);
}

// Numbers in running text: 6 significant digits, a real minus sign.
const prose = (value) => formatNumber(value).replace(/^-/, "\u2212");

// ∂l/∂(node) as the site writes it: δ_j^(l) for a weighted sum z_j^(l), ∂l/∂u otherwise.
const gradSymbol = (name) => (name.startsWith("z_") ? `δ${name.slice(1)}` : `∂l/∂${name}`);

const reducedMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

class Playground {
  constructor(root) {
    this.root = root;
    this.t = document.documentElement.lang.toLowerCase().startsWith("zh") ? TEXT.zh : TEXT.en;
    this.names = parameterNames(seedExample().net);
    this.fields = new Map(); // input name → <input>
    this.numbers = new Map(); // quantity name → display element
    this.build();
    this.reset();
  }

  // ---- building the widget -------------------------------------------------------------

  field(name, label, fieldset) {
    const input = el("input", {
      type: "number",
      step: "any",
      id: idFor("input-", name),
      "data-param": name,
      inputmode: "decimal",
    });
    const error = el("span", { class: "bp-error", id: `${input.id}-error` });
    input.setAttribute("aria-describedby", error.id);
    input.addEventListener("input", () => this.edited(name, false));
    input.addEventListener("change", () => this.edited(name, true));
    fieldset.append(el("div", { class: "bp-field" }, el("label", { for: input.id }, label), input, error));
    this.fields.set(name, input);
  }

  show(name, label = math(name)) {
    const node = number(name);
    this.numbers.set(name, node);
    return el("div", { class: "bp-pair" }, el("span", { class: "bp-label" }, label, " = "), node);
  }

  build() {
    const t = this.t;
    const controls = el("div", { class: "bp-controls" });
    const data = el("fieldset", {}, el("legend", {}, t.data));
    ["x_1", "x_2", "Y"].forEach((name) => this.field(name, math(name), data));
    controls.append(data);
    for (const layer of [1, 2]) {
      const fieldset = el("fieldset", {}, el("legend", {}, math(t.layer(layer))));
      this.names.filter((n) => n.endsWith(`^(${layer})`)).forEach((n) => this.field(n, math(n), fieldset));
      controls.append(fieldset);
      if (layer === 2) {
        // ReLU or the identity at the output (Network's output_activation).
        this.outputPicker = el("select", { id: "pg-output" });
        for (const [value, text] of Object.entries(t.outputChoices)) this.outputPicker.append(el("option", { value }, text));
        this.outputPicker.addEventListener("change", () => {
          this.net = { ...this.net, output: this.outputPicker.value };
          this.render(true);
        });
        fieldset.append(el("div", { class: "bp-field" }, el("label", { for: "pg-output" }, t.outputActivation), this.outputPicker));
      }
    }
    const random = el("fieldset", {}, el("legend", {}, t.randomStart));
    this.seedInput = el("input", { type: "text", inputmode: "numeric", id: "pg-seed", value: "1", "aria-describedby": "pg-seed-error pg-random-help", autocomplete: "off" });
    const seedError = el("span", { class: "bp-error", id: "pg-seed-error" });
    this.randomButton = el("button", { type: "button", id: "pg-random", class: "bp-button" }, t.randomButton);
    this.randomButton.addEventListener("click", () => this.randomStart());
    this.seedInput.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.randomStart();
    });
    this.seedInput.addEventListener("input", () => this.markInvalid(this.seedInput, false));
    random.append(
      el("div", { class: "bp-field" }, el("label", { for: "pg-seed" }, t.seed), this.seedInput, seedError),
      el("div", { class: "bp-buttons" }, this.randomButton),
      el("p", { class: "bp-help", id: "pg-random-help" }, t.randomHelp),
    );
    const training = el("fieldset", {}, el("legend", {}, t.training));
    this.field("lr", t.lr, training);
    this.stepButton = el("button", { type: "button", id: "pg-step", class: "bp-button bp-button--primary", "aria-describedby": "pg-step-help" }, t.step);
    this.resetButton = el("button", { type: "button", id: "pg-reset", class: "bp-button" }, t.reset);
    this.stepButton.addEventListener("click", () => this.step());
    this.resetButton.addEventListener("click", () => this.reset());
    training.append(
      el("div", { class: "bp-buttons" }, this.stepButton, this.resetButton),
      el("p", { class: "bp-help", id: "pg-step-help" }, t.stepHelp),
      el("p", { class: "bp-help" }, t.steps, (this.stepCount = el("span", { id: "pg-step-count", "data-quantity": "steps" }))),
    );
    controls.append(training, random);

    // Forward pass: one card per neuron, columns = layers.
    this.cards = new Map();
    const card = (layer, j) => {
      const box = el("div", { class: "bp-neuron", id: `pg-neuron-${j}-${layer}`, "data-neuron": `${j}^(${layer})` });
      const last = layer === 2;
      box.append(
        el("div", { class: "bp-neuron-name" }, `${t.neuron} ${j}${last ? " (y)" : ""}`),
        this.show(`z_${j}^(${layer})`),
        this.show(`a_${j}^(${layer})`, last ? el("span", {}, math(`a_1^(2)`), " = y") : math(`a_${j}^(${layer})`)),
        this.show(`delta_${j}^(${layer})`, math(`δ_${j}^(${layer})`)),
        el("div", { class: "bp-state", id: `pg-state-${j}-${layer}` }),
      );
      this.cards.set(`${j}^(${layer})`, box);
      return box;
    };
    const inputs = el("div", { class: "bp-column" }, el("h4", {}, t.inputs));
    ["x_1", "x_2"].forEach((n) => inputs.append(el("div", { class: "bp-neuron bp-input" }, this.show(n))));
    const hidden = el("div", { class: "bp-column" }, el("h4", {}, t.hidden), card(1, 1), card(1, 2), card(1, 3));
    const output = el("div", { class: "bp-column" }, el("h4", {}, t.output), card(2, 1));
    const forwardSection = el("section", { class: "bp-section", "aria-labelledby": "pg-forward-title" },
      el("h3", { id: "pg-forward-title" }, `${t.forward} → ${t.backward}`),
      el("div", { class: "bp-network" }, inputs, hidden, output),
      el("div", { class: "bp-loss" }, this.show("y"), this.show("Y"),
        this.show("l", el("span", {}, `${t.lossTitle} l = ½(y − Y)²`))),
    );

    // The computational graph, live, and the backward pass one node at a time.
    this.graphSvg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.graphSvg.setAttribute("id", "pg-graph");
    this.graphSvg.setAttribute("role", "img");
    this.graphSvg.setAttribute("aria-label", t.graphLabel);
    this.graphScroll = el("div", { class: "bp-graph-scroll", id: "pg-graph-scroll", tabindex: "0", role: "region", "aria-label": `${t.graph}. ${t.scrollHint}` }, this.graphSvg);
    const swatch = (kind, text) => el("li", {}, el("span", { class: `bp-swatch bp-swatch--${kind}`, "aria-hidden": "true" }), text);
    const legend = el("ul", { class: "bp-legend" },
      swatch("positive", t.legendPositive), swatch("negative", t.legendNegative), swatch("width", t.legendWidth),
      swatch("inactive", t.legendInactive), swatch("lit", t.legendLit));
    const button = (id, text, primary = false) =>
      el("button", { type: "button", id, class: `bp-button${primary ? " bp-button--primary" : ""}`, "aria-controls": "pg-graph-scroll pg-back-text" }, text);
    this.backStepButton = button("pg-back-step", t.stepBack, true);
    this.backAllButton = button("pg-back-all", t.runAll);
    this.backResetButton = button("pg-back-reset", t.resetSteps);
    this.backStepButton.addEventListener("click", () => this.stepBackward());
    this.backAllButton.addEventListener("click", () => this.runAll());
    this.backResetButton.addEventListener("click", () => this.resetSteps());
    this.backText = el("p", { class: "bp-back-text", id: "pg-back-text", "aria-live": "polite" });
    const graphSection = el("section", { class: "bp-section", "aria-labelledby": "pg-graph-title" },
      el("h3", { id: "pg-graph-title" }, t.graph),
      el("p", { class: "bp-help" }, t.graphHelp),
      legend,
      el("div", { class: "bp-buttons" }, this.backStepButton, this.backAllButton, this.backResetButton),
      this.backText,
      el("figure", { class: "bp-graph" }, this.graphScroll),
    );

    // Gradients of all parameters.
    const body = el("tbody");
    for (const name of this.names) {
      body.append(el("tr", {}, el("th", { scope: "row" }, math(name)),
        el("td", {}, this.number(`value ${name}`)), el("td", {}, this.number(`dl/d${name}`))));
    }
    const gradients = el("section", { class: "bp-section", "aria-labelledby": "pg-gradients-title" },
      el("h3", { id: "pg-gradients-title" }, t.gradients),
      el("table", { class: "bp-table" }, el("thead", {}, el("tr", {},
        el("th", { scope: "col" }, t.parameter), el("th", { scope: "col" }, t.value), el("th", { scope: "col" }, t.gradient))), body),
    );

    // The chain rule for the picked parameter.
    this.picker = el("select", { id: "pg-param" });
    this.names.forEach((n) => this.picker.append(el("option", { value: n }, unicodeMath(n))));
    this.picker.addEventListener("change", () => this.renderChain());
    this.factorRows = el("tbody");
    const chain = el("section", { class: "bp-section", "aria-labelledby": "pg-chain-title" },
      el("h3", { id: "pg-chain-title" }, t.chain),
      el("div", { class: "bp-field" }, el("label", { for: "pg-param" }, t.pick), this.picker),
      el("table", { class: "bp-table", id: "pg-chain" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col" }, t.factor), el("th", { scope: "col" }, t.formula), el("th", { scope: "col" }, t.value))),
        this.factorRows,
        el("tfoot", {}, el("tr", {}, el("th", { scope: "row", colspan: "2" }, t.product), el("td", {}, this.number("chain product"))))),
    );

    // Loss history chart.
    this.chart = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    this.chart.setAttribute("id", "pg-history");
    this.chart.setAttribute("viewBox", "0 0 320 140");
    this.chart.setAttribute("role", "img");
    this.historyText = el("p", { class: "bp-help", id: "pg-history-text" });
    this.chart.setAttribute("aria-labelledby", "pg-history-title");
    this.chart.setAttribute("aria-describedby", "pg-history-text");
    const history = el("section", { class: "bp-section", "aria-labelledby": "pg-history-title" },
      el("h3", { id: "pg-history-title" }, t.history), this.chart, this.historyText);

    this.status = el("p", { class: "bp-status", id: "pg-status", role: "status", "aria-live": "polite" });
    this.root.replaceChildren(controls, this.status, forwardSection, graphSection, chain, gradients, history);
  }

  number(name) {
    const node = number(name);
    this.numbers.set(name, node);
    return node;
  }

  // ---- state ---------------------------------------------------------------------------

  reset() {
    const seed = seedExample();
    this.x = seed.x;
    this.Y = seed.Y;
    this.lr = seed.lr;
    this.net = seed.net;
    this.outputPicker.value = seed.net.output;
    this.history = [];
    this.steps = 0;
    this.reached = Infinity; // the step-through: how many nodes' gradients are shown (all)
    this.lit = false; // whether the last step's node is lit (not after Run all or Reset)
    this.fill();
    this.render(true);
  }

  // Write the model into the fields; String() keeps every digit, so reading back is exact.
  fill() {
    const value = (name) => {
      if (name === "x_1" || name === "x_2") return this.x[Number(name[2]) - 1];
      if (name === "Y") return this.Y[0];
      if (name === "lr") return this.lr;
      return entry(this.net, name);
    };
    for (const [name, input] of this.fields) {
      input.value = String(value(name));
      this.markInvalid(input, false);
    }
  }

  markInvalid(input, invalid, message = this.t.invalid) {
    if (invalid) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    document.getElementById(`${input.id}-error`).textContent = invalid ? message : "";
  }

  // A field's text is usable when it is a finite number (and, for η, greater than 0).
  valid(name) {
    const value = this.fields.get(name).valueAsNumber;
    return Number.isFinite(value) && (name !== "lr" || value > 0);
  }

  // A field changed. While typing ("-", "1e") the text may not be a number yet: keep the
  // last valid value and only complain once the field is left (`final`).
  edited(name, final) {
    const input = this.fields.get(name);
    if (!this.valid(name)) {
      const empty = input.value === "" && !input.validity.badInput;
      if (final || empty) {
        // An emptied field says so at once: the numbers shown still use its last value.
        const message = name === "lr" ? this.t.badLr : empty ? this.t.stale(name.replace("_", "")) : this.t.invalid;
        this.markInvalid(input, true, message);
        this.status.textContent = message;
      }
      return;
    }
    const value = input.valueAsNumber;
    if (name === "lr") {
      this.markInvalid(input, false);
      this.lr = value;
      return; // the learning rate changes no number on the page until the next Step
    }
    let { x, Y, net } = this;
    if (name === "x_1" || name === "x_2") x = x.map((v, i) => (i === Number(name[2]) - 1 ? value : v));
    else if (name === "Y") Y = [value];
    else {
      const { kind, layer, j, k } = parseParameter(name);
      net = structuredClone(net);
      if (kind === "w") net.weights[layer - 1][j - 1][k - 1] = value;
      else net.biases[layer - 1][j - 1] = value;
    }
    // A finite input can still overflow (1e200 squared): refuse it rather than show inf or NaN.
    if (!finiteState(net, x, Y)) {
      this.markInvalid(input, true, this.t.overflow);
      this.status.textContent = this.t.overflow;
      return;
    }
    this.markInvalid(input, false);
    Object.assign(this, { x, Y, net });
    // A new problem starts a new history: the chart only shows what Step did from here.
    this.render(true);
  }

  // Seeds are whole numbers 0 … 2^32 − 1, typed as digits: "1.5", "-1", "1e3" are refused.
  randomStart() {
    const text = this.seedInput.value.trim();
    const seed = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(seed <= SEED_MAX)) {
      this.markInvalid(this.seedInput, true, this.t.badSeed);
      this.status.textContent = this.t.badSeed;
      return;
    }
    this.markInvalid(this.seedInput, false);
    this.net = randomWeights(this.net, seed);
    this.fill();
    this.render(true);
    this.status.textContent = `${this.t.randomDone(seed)} ${this.status.textContent}`;
  }

  step() {
    // The fields must say what the step will use: refuse while one holds no valid number.
    const bad = [...this.fields.keys()].find((name) => !this.valid(name));
    if (bad) {
      const message = bad === "lr" ? this.t.badLr : this.t.invalid;
      this.markInvalid(this.fields.get(bad), true, message);
      this.status.textContent = message;
      return;
    }
    const next = sgdStep(this.net, manualGradients(this.net, this.x, this.Y), this.lr);
    if (!finiteState(next, this.x, this.Y)) {
      this.status.textContent = this.t.diverged;
      return;
    }
    this.net = next;
    this.steps += 1;
    this.fill();
    this.render(false);
  }

  // ---- drawing -------------------------------------------------------------------------

  render(newHistory) {
    const trace = forward(this.net, this.x);
    const delta = errorSignals(this.net, trace, this.Y);
    const grads = manualGradients(this.net, this.x, this.Y);
    const l = loss(trace.output, this.Y);
    if (newHistory) {
      this.history = [l];
      this.steps = 0;
    } else {
      this.history.push(l);
    }
    const set = (name, value) => setNumber(this.numbers.get(name), value);
    this.x.forEach((v, i) => set(`x_${i + 1}`, v));
    trace.z.forEach((zl, i) => zl.forEach((z, j) => {
      const name = `${j + 1}^(${i + 1})`;
      set(`z_${name}`, z);
      set(`a_${name}`, trace.a[i + 1][j]);
      set(`delta_${name}`, delta[i][j]);
      // f'(z) = 0 (ReLU, z ≤ 0): nothing flows back through this neuron, whatever the loss.
      const dead = activationOf(this.net, i + 1).slope(z) === 0;
      const card = this.cards.get(name);
      card.classList.toggle("bp-dead", dead);
      card.dataset.dead = String(dead);
      document.getElementById(`pg-state-${j + 1}-${i + 1}`).textContent = dead ? `✕ ${this.t.dead}` : `✓ ${this.t.alive}`;
    }));
    set("y", trace.output[0]);
    set("Y", this.Y[0]);
    set("l", l);
    for (const name of this.names) {
      set(`value ${name}`, entry(this.net, name));
      set(`dl/d${name}`, entry(grads, name));
    }
    this.stepCount.textContent = String(this.steps);
    this.renderChain();
    this.renderGraph();
    this.renderHistory();
    this.status.textContent = this.t.status(formatNumber(trace.output[0]), formatNumber(l), this.steps);
  }

  // ---- the backward pass, one node at a time ----------------------------------------------

  stepBackward() {
    // After the last node (or from "all shown") a new pass starts at l.
    this.reached = this.reached >= this.backward.length ? 1 : this.reached + 1;
    this.lit = true;
    this.renderGraph(true);
  }

  runAll() {
    this.reached = Infinity;
    this.lit = false;
    this.renderGraph();
  }

  resetSteps() {
    this.reached = 0;
    this.lit = false;
    this.renderGraph();
  }

  renderGraph(scroll = false) {
    const graph = computationalGraph(this.net, this.x, this.Y);
    this.backward = backwardSteps(graph);
    const n = this.backward.length;
    const k = Math.min(this.reached, n);
    const step = this.lit && k > 0 ? this.backward[k - 1] : null;
    const positions = drawGraph(this.graphSvg, graph, {
      known: new Set(this.backward.slice(0, k).map((s) => s.node)),
      current: step ? step.node : null,
      label: this.t.graphLabel,
    });
    this.backText.dataset.reached = String(k);
    if (step) {
      this.backText.dataset.stepNode = step.node;
      this.backText.replaceChildren(...this.stepText(step, k, n));
      if (scroll) {
        // Bring the step's node into view inside the figure (not the page).
        const [x] = positions.get(step.node);
        const left = Math.max(0, x - this.graphScroll.clientWidth / 2);
        this.graphScroll.scrollTo({ left, behavior: reducedMotion() ? "auto" : "smooth" });
      }
    } else {
      delete this.backText.dataset.stepNode;
      this.backText.replaceChildren(k === 0 ? this.t.stepCleared : this.t.stepIntro(n));
    }
  }

  // "Step 5 of 24: ∂l/∂x_1 = δ_1^(1) · w_11^(1) + … = (−1)(1) + … = −1 + … = −2"
  stepText(step, k, n) {
    const t = this.t;
    const parts = [el("span", { class: "bp-step-count" }, t.stepCount(k, n))];
    const value = el("strong", { class: "bp-step-value", "data-value": String(step.value) }, prose(step.value));
    if (step.terms.length === 0) return [...parts, math("∂l/∂l"), " = ", value, t.lossStart];
    const join = (items) => items.flatMap((item, i) => (i ? [" + ", ...item] : item));
    parts.push(math(gradSymbol(step.node)), " = ");
    parts.push(...join(step.terms.map((term) => [math(gradSymbol(term.target)), " · ", math(term.formula.replace(" - ", " − "))])));
    parts.push(" = ");
    parts.push(...join(step.terms.map((term) => [el("span", {
      class: "bp-term",
      "data-target": term.target,
      "data-upstream": String(term.upstream),
      "data-derivative": String(term.derivative),
      "data-product": String(term.product),
    }, `(${prose(term.upstream)})(${prose(term.derivative)})`)])));
    if (step.terms.length > 1) {
      parts.push(" = ", ...join(step.terms.map((term, i) => [i && term.product < 0 ? `(${prose(term.product)})` : prose(term.product)])));
    }
    parts.push(" = ", value, t.fullStop);
    if (step.terms.length > 1) {
      parts.push(" ", el("span", { class: "bp-step-note" }, ...t.pathsMeet(math(step.node), step.terms.length)));
    }
    const [only] = step.terms;
    if (step.node.startsWith("z_") && only.formula.startsWith("relu'") && only.derivative === 0) {
      parts.push(" ", el("span", { class: "bp-step-note" }, ...t.stopped(math(step.node))));
    }
    return parts;
  }

  renderChain() {
    const name = this.picker.value;
    const factors = chainFactors(this.net, this.x, this.Y, name);
    this.factorRows.replaceChildren(...factors.map((f) => {
      const value = el("span", { class: "bp-num" });
      setNumber(value, f.value);
      return el("tr", { "data-role": f.role, "data-derivative": f.derivative, "data-formula": f.formula },
        el("th", { scope: "row" }, math(f.derivative)), el("td", {}, math(f.formula.replace(" - ", " − "))), el("td", {}, value));
    }));
    setNumber(this.numbers.get("chain product"), chainValue(factors));
  }

  // A line through the losses so far on a log scale, so that a plateau at 12.5 sits well
  // above a loss near 0 (a linear axis scaled to 496 drew both on the zero line). A loss of
  // exactly 0 has no logarithm: it is drawn on its own line below the axis, labelled 0.
  // When every gradient is 0 while the loss is not, the plateau is marked: the network is
  // dead and no step will change it. No library, plain SVG.
  renderHistory() {
    const svg = "http://www.w3.org/2000/svg";
    const node = (tag, attributes, text) => {
      const n = document.createElementNS(svg, tag);
      for (const [k, v] of Object.entries(attributes)) n.setAttribute(k, v);
      if (text !== undefined) n.textContent = text;
      return n;
    };
    const [left, right, top, bottom, zeroLine] = [48, 310, 22, 104, 120];
    const positive = this.history.filter((l) => l > 0);
    let [low, high] = [0, 1]; // decades 10^low … 10^high
    if (positive.length) [low, high] = [Math.floor(Math.log10(Math.min(...positive))), Math.ceil(Math.log10(Math.max(...positive)))];
    if (high === low) high = low + 1;
    const yOf = (l) => (l > 0 ? bottom - ((bottom - top) * (Math.log10(l) - low)) / (high - low) : zeroLine);
    const n = Math.max(this.history.length - 1, 1);
    const points = this.history.map((l, i) => [left + ((right - left) * i) / n, yOf(l)]);
    // a label on every decade, or on every few when there are many
    const every = Math.ceil((high - low) / 5);
    const ticks = [];
    for (let d = low; d <= high; d += every) {
      const y = yOf(10 ** d);
      ticks.push(
        node("line", { x1: left - 3, y1: y, x2: left, y2: y, class: "bp-axis" }),
        node("text", { x: left - 5, y: y + 3.5, "text-anchor": "end", class: "bp-tick", "data-tick": String(10 ** d) }, formatNumber(10 ** d)),
      );
    }
    const grads = manualGradients(this.net, this.x, this.Y);
    const last = this.history[this.history.length - 1];
    const dead = last > 0 && [...grads.weights.flat(2), ...grads.biases.flat()].every((g) => g === 0);
    const children = [
      node("text", { x: 2, y: 10, class: "bp-tick" }, this.t.logAxis),
      node("line", { x1: left, y1: top - 6, x2: left, y2: bottom + 4, class: "bp-axis" }),
      // the axis breaks between the log scale and the line of exact zeros
      node("line", { x1: left, y1: zeroLine - 6, x2: left, y2: zeroLine, class: "bp-axis" }),
      node("line", { x1: left, y1: zeroLine, x2: right, y2: zeroLine, class: "bp-axis" }),
      node("text", { x: left - 5, y: zeroLine + 3.5, "text-anchor": "end", class: "bp-tick", "data-tick": "0" }, this.t.zeroTick),
      ...ticks,
      node("text", { x: right, y: zeroLine + 16, "text-anchor": "end", class: "bp-tick" }, `${this.t.historyAxis} ${this.history.length - 1}`),
    ];
    if (dead) {
      const y = yOf(last);
      children.push(
        node("line", { x1: left, y1: y, x2: right, y2: y, class: "bp-plateau" }),
        node("text", { x: right, y: y < top + 14 ? y + 13 : y - 5, "text-anchor": "end", class: "bp-dead-mark", id: "pg-history-dead" }, this.t.deadMark),
      );
    }
    children.push(
      node("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "bp-line" }),
      ...points.map(([cx, cy], i) => {
        const dot = node("circle", { cx, cy, r: 3, class: "bp-dot", "data-loss": String(this.history[i]) });
        dot.append(node("title", {}, this.t.point(i, formatNumber(this.history[i]))));
        return dot;
      }),
    );
    this.chart.replaceChildren(...children);
    this.chart.dataset.history = JSON.stringify(this.history);
    this.chart.dataset.scale = "log";
    this.chart.dataset.dead = String(dead);
    const shown = this.history.slice(-12).map((v) => formatNumber(v)).join(" → ");
    const summary = `l: ${this.history.length > 12 ? "… → " : ""}${shown}`;
    this.historyText.textContent = dead ? this.t.deadText(formatNumber(last), summary) : summary;
  }
}

// Load the stylesheet next to this module, so that the page needs only the script tag
// and both languages (/playground/ and /zh/playground/) share the assets.
function addStylesheet() {
  const href = new URL("playground.css", import.meta.url).href;
  if (![...document.querySelectorAll("link[rel=stylesheet]")].some((l) => l.href === href)) {
    document.head.append(el("link", { rel: "stylesheet", href }));
  }
}

function mount() {
  for (const root of document.querySelectorAll(".bp-playground:not([data-mounted])")) {
    root.dataset.mounted = "true";
    root.playground = new Playground(root);
  }
}

addStylesheet();
mount();
// With Material's instant navigation the page body is swapped without reloading modules.
if (window.document$) window.document$.subscribe(mount);
