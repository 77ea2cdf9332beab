// Keeps the answers typed in the bedside app in this tab's sessionStorage, so that a
// session that expires (or a Save refused for it) loses nothing: after the relaunch for
// the same patient they are filled in again, to be checked and saved. Cleared once saved.
(function () {
  "use strict";
  var form = document.querySelector("form.findings[data-keep]");
  if (!form || !window.sessionStorage) { return; }
  var key = "gluteal-cds-answers:" + form.getAttribute("data-keep");

  function kept() {
    try { return JSON.parse(window.sessionStorage.getItem(key) || "{}") || {}; }
    catch (error) { return {}; }
  }

  if (form.getAttribute("data-saved")) {
    window.sessionStorage.removeItem(key);
  } else {
    var answers = kept(), restored = 0;
    Object.keys(answers).forEach(function (name) {
      var inputs = form.querySelectorAll("input[type=radio]");
      for (var i = 0; i < inputs.length; i++) {
        var input = inputs[i];
        if (input.name === name && input.value === answers[name] && !input.checked) {
          input.checked = true;
          restored += 1;
        }
      }
    });
    if (restored) {
      var note = document.getElementById("kept-message");
      note.textContent = restored + (restored === 1 ? " answer" : " answers") +
        " typed before the session ended " + (restored === 1 ? "was" : "were") +
        " filled in again: check, then save.";
      note.hidden = false;
    }
  }

  form.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "radio" || input.name.indexOf("q-") !== 0) { return; }
    var answers = kept();
    answers[input.name] = input.value;
    window.sessionStorage.setItem(key, JSON.stringify(answers));
  });
}());
