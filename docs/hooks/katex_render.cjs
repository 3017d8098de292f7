// Render TeX to MathML with KaTeX, for docs/hooks/katex.py, at build time.
// One request per line on stdin: a JSON list of [tex, displayMode] pairs.
// One reply per line on stdout: a JSON list of {html} or {error} objects, in order.
"use strict";
const katex = require("katex");
const readline = require("readline");

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const reply = JSON.parse(line).map(([tex, displayMode]) => {
    try {
      return { html: katex.renderToString(tex, { displayMode, output: "mathml", throwOnError: true }) };
    } catch (error) {
      return { error: String(error.message) };
    }
  });
  process.stdout.write(JSON.stringify(reply) + "\n");
});
