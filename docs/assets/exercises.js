// Checks the answers of the exercises (docs/hooks/exercises.py renders them).
//
// A checked exercise is a form with data-exercise and data-answer (JSON: a number, a string
// or a list) holding a text input or radio inputs. On submit (Enter, or its button) the form's
// data-state becomes "correct" or "incorrect", and the verdict is written into its aria-live
// status line. Messages come from the form's data-msg-* attributes, in the page's language.
//
// Numbers: the reader's own rounding counts. With data-decimals = d, a number typed with k ≥ d
// decimals is right when it is within half a unit of its last decimal of the answer, so for
// 0.12734 at d = 2 both 0.13 and 0.127 are right, and 0.12 and 0.125 are not.
// Accepted spellings: "-" or "−" (U+2212) for minus, full-width digits, point and minus from
// a Chinese input method (NFKC). Decimals are written with a point in both languages
// (Chinese writes 0.13 too); "0,13" is rejected with a hint, not read as 13 or 0.13.
(function () {
  "use strict";

  const LIST_SEPARATORS = /\s*[,;、，；]\s*|\s+/;

  function normalize(text) {
    return String(text).normalize("NFKC").replace(/\u2212/g, "-").trim();
  }

  // {value, decimals} or null when the text is not a number.
  function parseNumber(text) {
    const t = normalize(text).replace(/^\+/, "");
    const m = /^(-?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(t) ||
      /^(-?)()\.(\d+)(?:[eE]([+-]?\d+))?$/.exec(t);
    if (!m) return null;
    const decimals = (m[3] || "").length - (m[4] ? parseInt(m[4], 10) : 0);
    return { value: Number(t), decimals: Math.max(decimals, 0) };
  }

  function isCommaDecimal(text) {
    return /^[-+]?\d+,\d+$/.test(normalize(text));
  }

  // "correct", "incorrect", "precision" (too few decimals) or "number" (not a number).
  function checkNumber(text, answer, decimals) {
    const parsed = parseNumber(text);
    if (!parsed) return "number";
    if (parsed.decimals < decimals) return "precision";
    const half = 0.5 * Math.pow(10, -parsed.decimals);
    // The slack absorbs binary rounding of both numbers (0.125 is exact, 0.1 is not).
    const slack = 1e-9 * Math.max(1, Math.abs(answer));
    return Math.abs(parsed.value - answer) <= half + slack ? "correct" : "incorrect";
  }

  function sameText(a, b) {
    const squeeze = (s) => normalize(s).replace(/\s+/g, "").toLowerCase();
    return squeeze(a) === squeeze(b);
  }

  function checkOne(text, answer, decimals) {
    if (typeof answer === "number") return checkNumber(text, answer, decimals);
    return sameText(text, answer) ? "correct" : "incorrect";
  }

  // Returns {verdict, n}: verdict as above, or "count" (wrong number of values).
  function check(text, answer, decimals, unordered) {
    if (!Array.isArray(answer)) {
      if (typeof answer === "number" && isCommaDecimal(text)) return { verdict: "number" };
      return { verdict: checkOne(text, answer, decimals) };
    }
    const items = normalize(text).split(LIST_SEPARATORS).filter((s) => s !== "");
    if (items.length !== answer.length) return { verdict: "count", n: answer.length };
    const verdicts = (order) => order.map((item, i) => checkOne(item, answer[i], decimals));
    const worst = (list) =>
      ["number", "precision", "incorrect"].find((v) => list.includes(v)) || "correct";
    if (!unordered) return { verdict: worst(verdicts(items)) };
    // Any order: try the reader's values sorted like the answer (numbers by value).
    const key = (v) => (typeof v === "number" ? v : String(v));
    const sortedAnswer = answer.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b)));
    const sortedItems = items.slice().sort((a, b) => {
      const x = parseNumber(a), y = parseNumber(b);
      const ka = x && typeof answer[0] === "number" ? x.value : a;
      const kb = y && typeof answer[0] === "number" ? y.value : b;
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    const list = sortedItems.map((item, i) => checkOne(item, sortedAnswer[i], decimals));
    return { verdict: worst(list) };
  }

  function verdictFor(form) {
    const answer = JSON.parse(form.dataset.answer);
    const decimals = parseInt(form.dataset.decimals || "0", 10);
    const radios = form.querySelectorAll("input[type=radio]");
    if (radios.length) {
      const chosen = form.querySelector("input[type=radio]:checked");
      if (!chosen) return { verdict: "none" };
      const value = typeof answer === "number" ? Number(chosen.value) : chosen.value;
      return { verdict: value === answer ? "correct" : "incorrect" };
    }
    const input = form.querySelector("input[type=text], input[type=number]");
    return check(input.value, answer, decimals, form.hasAttribute("data-unordered"));
  }

  function message(form, result) {
    const key = "msg" + result.verdict[0].toUpperCase() + result.verdict.slice(1);
    const decimals = form.dataset.decimals || "0";
    return (form.dataset[key] || "").replace("{n}", String(result.n || decimals));
  }

  function onSubmit(event) {
    event.preventDefault();
    const form = event.currentTarget;
    const result = verdictFor(form);
    form.dataset.state = result.verdict === "correct" ? "correct" : "incorrect";
    const status = form.querySelector("[role=status]");
    // Rewrite the text even when it is the same, so a screen reader announces it again.
    status.textContent = "";
    window.requestAnimationFrame(() => {
      status.textContent = message(form, result);
    });
  }

  function onKeydown(event) {
    // Enter checks from a radio button too (browsers submit only from text fields).
    if (event.key === "Enter" && event.target.type === "radio") {
      event.preventDefault();
      event.currentTarget.requestSubmit();
    }
  }

  function setUp() {
    setUpPrint();
    document.querySelectorAll("form[data-exercise]").forEach((form) => {
      form.addEventListener("submit", onSubmit);
      form.addEventListener("keydown", onKeydown);
      form.addEventListener("input", () => {
        delete form.dataset.state;
      });
    });
  }

  // Printing opens every folded solution (the print stylesheet does too, where the browser
  // supports ::details-content); afterwards the page is as the reader left it.
  const openedForPrint = [];
  function setUpPrint() {
    window.addEventListener("beforeprint", () => {
      document.querySelectorAll(".bpd-exercise details:not([open])").forEach((details) => {
        details.open = true;
        openedForPrint.push(details);
      });
    });
    window.addEventListener("afterprint", () => {
      openedForPrint.splice(0).forEach((details) => {
        details.open = false;
      });
    });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { check, parseNumber, checkNumber };
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
