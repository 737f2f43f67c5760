// Show a conditional question only when the earlier answer matches; the server checks again.
(function () {
  "use strict";
  var form = document.getElementById("survey-form");
  if (!form) return;
  var blocks = form.querySelectorAll("[data-show-if-field]");

  function selected(name) {
    var values = [];
    form.querySelectorAll('[name="' + name + '"]').forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) values.push(input.value);
    });
    return values;
  }

  function isShown(block) {
    var name = block.dataset.showIfField;
    var parent = form.querySelector('[data-question-field="' + name + '"]');
    if (parent && parent.hidden) return false;
    return selected(name).indexOf(block.dataset.showIfValue) !== -1;
  }

  // Number what the respondent sees: hidden questions take no number.
  function renumber() {
    var number = 0;
    form.querySelectorAll("fieldset.survey-question").forEach(function (block) {
      var label = block.querySelector(".question-number");
      if (block.hidden) {
        if (label) label.textContent = "";
        return;
      }
      number += 1;
      if (label) label.textContent = number + ". ";
    });
  }

  function update() {
    blocks.forEach(function (block) { block.hidden = !isShown(block); });
    renumber();
  }

  form.querySelectorAll("fieldset.survey-question").forEach(function (block) {
    block.setAttribute("data-question-field", "q" + block.id.replace("question-", ""));
  });
  form.addEventListener("change", update);
  update();

  // After a refused submission, start at the summary of what to fix (it links to each question).
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
})();
