// Optional sugar for the exercise form (it works without JavaScript):
// - a live preview of how a typed formula is understood (POST /exercises/preview);
// - the submit button is disabled after the first click (the idempotency key already makes
//   a double submission store one attempt).
"use strict";
(function () {
  var DELAY_MS = 250;

  function csrfToken(form) {
    var field = form && form.querySelector('input[name="csrf_token"]');
    return field ? field.value : "";
  }

  function showPreview(output, data) {
    output.textContent = "";
    output.classList.toggle("preview-error", !data.ok);
    if (data.ok) {
      var math = document.createElement("span");
      output.appendChild(math);
      if (typeof katex !== "undefined") {
        katex.render(data.latex, math, { throwOnError: false });
      } else {
        math.textContent = data.text;
      }
      var text = document.createElement("code");
      text.textContent = data.text;
      output.appendChild(document.createTextNode(" "));
      output.appendChild(text);
      return;
    }
    var message = document.createElement("span");
    message.textContent = data.message;
    output.appendChild(message);
    if (data.caret) {
      var caret = document.createElement("pre");
      caret.className = "caret";
      caret.textContent = data.caret;
      output.appendChild(caret);
    }
  }

  function watch(input) {
    var output = document.getElementById(input.dataset.preview);
    if (!output) return;
    var timer = null;
    var sent = 0;
    function update(delay) {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value;
        if (!text.trim()) { output.textContent = ""; return; }
        var number = ++sent;
        fetch(output.dataset.endpoint || "/exercises/preview", {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(input.form) },
          body: JSON.stringify({ text: text, variables: (input.dataset.variables || "").split(" ").filter(Boolean) }),
        }).then(function (response) {
          return response.ok ? response.json() : null;
        }).then(function (data) {
          if (data && number === sent) showPreview(output, data);
        }).catch(function () { /* the preview is optional: grading still works */ });
      }, delay);
    }
    input.addEventListener("input", function () { update(DELAY_MS); });
    if (input.value.trim()) update(0);  // a form shown again with what was typed
  }

  // Coming back with the browser's back button shows the page from its cache: enable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.exercise-form button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-formula]").forEach(watch);
    document.querySelectorAll("form.exercise-form").forEach(function (form) {
      form.addEventListener("submit", function () {
        var button = form.querySelector("button[type=submit]");
        if (button) setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
})();
