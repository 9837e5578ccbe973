/* The report on an ambiguous quote (positions/quote_report.py) lists each occurrence with a
 * "Use this one" button: it fills that citation's prefix and suffix with the words that pick the
 * occurrence out, ready to save again. Without JavaScript the buttons stay hidden and the report
 * still names the prefix or suffix to type.
 */
(function () {
  "use strict";

  function field(form, name) {
    return form.querySelector("input[name$='-" + name + "']");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".quote-report button.quote-use").forEach(function (button) {
      button.hidden = false;
    });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest(".quote-report button.quote-use");
    if (!button) return;
    var form = button.closest(".inline-related");
    var prefix = form && field(form, "prefix");
    var suffix = form && field(form, "suffix");
    if (!prefix || !suffix) return;
    prefix.value = button.getAttribute("data-prefix");
    suffix.value = button.getAttribute("data-suffix");
    form.querySelectorAll(".quote-report .quote-used").forEach(function (status) {
      status.textContent = "";
    });
    button.parentNode.querySelector(".quote-used").textContent =
      "Filled in: save to cite this one.";
  });
})();
