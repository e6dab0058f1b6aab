// Render every element carrying data-tex with KaTeX. katex.render builds DOM nodes and sets
// styles through the CSSOM, which the Content-Security-Policy (style-src 'self') allows;
// inserting KaTeX's HTML string would not be. Without JavaScript the plain-text fallback stays.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (typeof katex === "undefined") return;
  document.querySelectorAll("[data-tex]").forEach(function (element) {
    katex.render(element.dataset.tex, element, {
      displayMode: element.dataset.display === "block",
      throwOnError: false,
    });
    element.classList.add("math-rendered");
  });
});
