// "Copy link": turns each plain link to the current view (templates/positions/_copy_link.html)
// into a button that copies the page's address. Without script, or where the clipboard is not
// available, the link stays a link to the same URL, which the reader can copy from the browser.
(function () {
  "use strict";
  if (!window.isSecureContext || !navigator.clipboard || !navigator.clipboard.writeText) {
    return;
  }
  function enhance(box) {
    var link = box.querySelector("a[data-copy-link]");
    var status = box.querySelector("[role=status]");
    if (!link || !status) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = link.textContent;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(window.location.href).then(
        function () {
          status.textContent = "Link copied.";
        },
        function () {
          status.textContent = "Could not copy: copy the address from the address bar.";
        }
      );
    });
    link.replaceWith(button);
  }
  function start() {
    document.querySelectorAll(".copy-link").forEach(function (box) {
      if (!box.dataset.enhanced) {
        box.dataset.enhanced = "yes";
        enhance(box);
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
