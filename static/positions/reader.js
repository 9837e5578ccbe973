/* The source reader: the passage a link points to (#c<start>-<end>, as claim pages link to it)
 * is outlined whole. A passage that crosses markup or another passage is several <mark>s, each
 * naming it in data-passages; the stylesheet alone outlines the first (.anchor:target + mark),
 * this outlines every one.
 */
(function () {
  "use strict";

  var article = document.querySelector(".source-text");
  if (!article) return;

  function outline() {
    var previous = article.querySelectorAll("mark.is-target");
    for (var i = 0; i < previous.length; i++) previous[i].classList.remove("is-target");
    var id = decodeURIComponent(window.location.hash.slice(1));
    if (!/^c\d+-\d+$/.test(id)) return;
    var parts = article.querySelectorAll('mark[data-passages~="' + id + '"]');
    for (var j = 0; j < parts.length; j++) parts[j].classList.add("is-target");
  }

  window.addEventListener("hashchange", outline);
  outline();
})();
