/* The source reader. The page works without this; it adds two things.
 *
 * The passage a link points to (#c<start>-<end>, as claim pages link to it) is framed whole. A
 * passage that crosses markup or another passage is several <mark>s, each naming it in
 * data-passages; the stylesheet alone outlines the first (.anchor:target + mark), this frames
 * every one, with ends at the first and the last. While a passage's list of claims is open
 * (#n<start>-<end>), its passage is framed too.
 *
 * That list opens over the page (.passage-note:target); this lets Escape or a click outside it
 * put it away, back where the reader was when it was opened from its number here.
 */
(function () {
  "use strict";

  var article = document.querySelector(".source-text");
  if (!article) return;
  var openedHere = false; // the open list was opened from its number on this page

  function frame() {
    var previous = article.querySelectorAll("mark.is-target");
    for (var i = 0; i < previous.length; i++) {
      previous[i].classList.remove("is-target", "is-target-start", "is-target-end");
    }
    var match = /^#[cn](\d+-\d+)$/.exec(window.location.hash);
    if (!match) return;
    var parts = article.querySelectorAll('mark[data-passages~="c' + match[1] + '"]');
    if (!parts.length) return;
    for (var j = 0; j < parts.length; j++) parts[j].classList.add("is-target");
    parts[0].classList.add("is-target-start");
    parts[parts.length - 1].classList.add("is-target-end");
  }

  function openList() {
    var match = /^#n(\d+-\d+)$/.exec(window.location.hash);
    return match ? match[1] : null;
  }

  function close() {
    var span = openList();
    if (!span) return;
    if (openedHere) window.history.back();
    else window.location.replace("#c" + span);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("a");
    if (link && link.classList.contains("passage-ref")) {
      openedHere = true;
    } else if (link && link.classList.contains("passage-note-close")) {
      event.preventDefault();
      close();
    } else if (!link && openList() && !event.target.closest(".passage-note")) {
      close();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && openList()) close();
  });
  window.addEventListener("hashchange", function () {
    if (!openList()) openedHere = false;
    frame();
  });
  frame();
})();
