// Render math with the KaTeX that the site serves itself (assets/katex/, no CDN).
//
// - Markdown pages: pymdownx.arithmatex (generic mode) wraps math in
//   .arithmatex elements, delimited by \( \) and \[ \].
// - Notebook pages (mkdocs-jupyter): the markdown cells keep raw $...$ and
//   $$...$$, so those delimiters are enabled there only (a "$" in prose on
//   other pages stays a dollar sign).
//
// output "htmlAndMathml" keeps MathML for assistive technology. A TeX error
// is shown in errorColor (class .katex-error) instead of breaking the page;
// the tests fail on any .katex-error, so errors are never silent.
(function () {
  "use strict";

  var common = { output: "htmlAndMathml", throwOnError: false, errorColor: "#cc0000" };
  var arithmatex = [
    { left: "\\[", right: "\\]", display: true },
    { left: "\\(", right: "\\)", display: false },
  ];
  var notebook = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
  ].concat(arithmatex);

  function render(root) {
    root.querySelectorAll(".arithmatex").forEach(function (el) {
      renderMathInElement(el, Object.assign({ delimiters: arithmatex }, common));
    });
    root.querySelectorAll(".jupyter-wrapper .jp-RenderedMarkdown").forEach(function (el) {
      renderMathInElement(el, Object.assign({ delimiters: notebook }, common));
    });
  }

  // Material emits document$ on the first load (and on instant navigation,
  // which this site keeps off); without Material, wait for the DOM.
  if (typeof document$ !== "undefined") {
    document$.subscribe(function () {
      render(document);
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      render(document);
    });
  } else {
    render(document);
  }
})();
