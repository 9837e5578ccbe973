/* Select to cite: on a source's page, a curator selects a passage of the article and gets links
 * to the admin's add forms with the citation filled in (cite_source, cite_quote and, when the
 * passage occurs more than once, the cite_prefix or cite_suffix that tells it apart).
 *
 * The page renders the bar (#cite-bar) only for staff; without it, or without JavaScript, the
 * page is the plain article. Matching follows positions/citations.py: runs of white space count
 * as one space, and a prefix is the text just before the passage.
 */
(function () {
  "use strict";

  var bar = document.getElementById("cite-bar");
  var container = document.querySelector(".source-text");
  if (!bar || !container) return;

  var MAX_URL = 4000; // gunicorn refuses a request line over 4094 bytes
  var MAX_WORDS = 12; // words of context tried before and after an ambiguous passage
  var MAX_CONTEXT = 200; // characters a prefix or suffix may hold (Citation.prefix, .suffix)
  var PREVIEW = 80;

  // Exactly the source text: positions/reader.py renders the Markdown but keeps its syntax in
  // the page, hidden (span.md), so offsets into the page's text are offsets into the source.
  var text = container.textContent;
  var hidden = hiddenSyntax();
  var folded = fold(text);
  var source = bar.getAttribute("data-cite-source");
  var preview = bar.querySelector(".cite-preview");
  var note = bar.querySelector(".cite-note");
  var list = bar.querySelector(".cite-links");
  var links = Array.prototype.slice.call(bar.querySelectorAll("a[data-cite]"));
  var narrow = window.matchMedia("(max-width: 40rem)");
  var mouseDown = false;
  var timer = null;

  links.forEach(function (a) {
    a.setAttribute("data-base", a.getAttribute("href"));
  });

  /* Which characters of the text are Markdown syntax the reader does not see. */
  function hiddenSyntax() {
    var mask = new Uint8Array(text.length);
    var walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    var at = 0;
    var node;
    while ((node = walker.nextNode())) {
      if (node.parentElement.closest(".md")) mask.fill(1, at, at + node.data.length);
      at += node.data.length;
    }
    return mask;
  }

  function fold(s) {
    return s.replace(/\s+/g, " ").trim();
  }

  function words(s) {
    return s ? s.split(" ") : [];
  }

  /* Where needle occurs in folded, overlapping occurrences included (as citations.find_all). */
  function occurrences(needle) {
    var starts = [];
    var at = folded.indexOf(needle);
    while (at !== -1) {
      starts.push(at);
      at = folded.indexOf(needle, at + 1);
    }
    return starts;
  }

  /* The prefix or suffix, if any, that leaves one occurrence: as few words as will do. */
  function disambiguate(needle, starts, before, after) {
    var befores = starts.map(function (s) {
      return folded.slice(0, s).trimEnd();
    });
    var afters = starts.map(function (s) {
      return folded.slice(s + needle.length).trimStart();
    });
    function unique(prefix, suffix) {
      var n = 0;
      for (var i = 0; i < starts.length; i++) {
        if (befores[i].endsWith(prefix) && afters[i].startsWith(suffix)) n++;
      }
      return n === 1;
    }
    var pre = words(before.slice(-MAX_CONTEXT));
    var post = words(after.slice(0, MAX_CONTEXT));
    if (pre.length && before.length > MAX_CONTEXT) pre.shift(); // a cut word
    if (post.length && after.length > MAX_CONTEXT) post.pop();
    var k, prefix, suffix;
    for (k = 1; k <= Math.min(MAX_WORDS, pre.length); k++) {
      prefix = pre.slice(-k).join(" ");
      if (unique(prefix, "")) return { prefix: prefix, suffix: "" };
    }
    for (k = 1; k <= Math.min(MAX_WORDS, post.length); k++) {
      suffix = post.slice(0, k).join(" ");
      if (unique("", suffix)) return { prefix: "", suffix: suffix };
    }
    prefix = pre.slice(-MAX_WORDS).join(" ");
    suffix = post.slice(0, MAX_WORDS).join(" ");
    if (unique(prefix, suffix)) return { prefix: prefix, suffix: suffix };
    return null;
  }

  /* The selection as [start, end) offsets in the text, white space and hidden Markdown syntax
   * trimmed from both ends (the quote keeps any syntax inside it: it is verbatim); null if none.
   */
  function selectedSpan() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
    var range = sel.getRangeAt(0);
    if (!range.intersectsNode(container)) return null;
    var start = 0;
    var end = text.length;
    var probe = document.createRange();
    probe.selectNodeContents(container);
    if (probe.compareBoundaryPoints(Range.START_TO_START, range) < 0) {
      probe.setEnd(range.startContainer, range.startOffset);
      start = probe.toString().length;
    }
    probe.selectNodeContents(container);
    if (probe.compareBoundaryPoints(Range.END_TO_END, range) > 0) {
      probe.setEnd(range.endContainer, range.endOffset);
      end = probe.toString().length;
    }
    while (start < end && (hidden[start] || /\s/.test(text[start]))) start++;
    while (end > start && (hidden[end - 1] || /\s/.test(text[end - 1]))) end--;
    return start < end ? { start: start, end: end, range: range } : null;
  }

  function hide() {
    bar.hidden = true;
  }

  function say(message) {
    note.textContent = message;
    note.hidden = !message;
  }

  function show(span) {
    var quote = text.slice(span.start, span.end);
    var needle = fold(quote);
    var params = new URLSearchParams({ cite_source: source, cite_quote: quote });
    var starts = occurrences(needle);
    say("");
    if (starts.length > 1) {
      var context = disambiguate(
        needle,
        starts,
        fold(text.slice(0, span.start)),
        fold(text.slice(span.end))
      );
      if (context === null) {
        say(
          "This passage occurs " + starts.length + " times and the words around it do not " +
            "tell which one you mean: add a prefix or suffix in the form."
        );
      } else {
        if (context.prefix) params.set("cite_prefix", context.prefix);
        if (context.suffix) params.set("cite_suffix", context.suffix);
        say(
          "This passage occurs " + starts.length + " times; the links say which one by the " +
            (context.prefix ? "words before it: “" + context.prefix + "”." :
              "words after it: “" + context.suffix + "”.")
        );
      }
    }
    var query = params.toString();
    var tooLong = links.some(function (a) {
      return a.getAttribute("data-base").length + 1 + query.length > MAX_URL;
    });
    links.forEach(function (a) {
      a.href = a.getAttribute("data-base") + "?" + query;
    });
    list.hidden = tooLong;
    if (tooLong) say("This selection is too long to pass in a link: select a shorter passage.");
    preview.textContent =
      "“" + (needle.length > PREVIEW ? needle.slice(0, PREVIEW - 1) + "…" : needle) + "”";
    bar.hidden = false;
    place(span.range);
  }

  /* Beside the selection on a wide screen; on a narrow one the stylesheet fixes the bar to the
   * bottom of the viewport. */
  function place(range) {
    bar.style.top = "";
    bar.style.left = "";
    if (narrow.matches) return;
    var rects = range.getClientRects();
    if (!rects.length) return;
    var last = rects[rects.length - 1];
    var origin = bar.offsetParent
      ? bar.offsetParent.getBoundingClientRect()
      : { top: -window.scrollY, left: -window.scrollX };
    var width = bar.offsetWidth;
    var room = document.documentElement.clientWidth;
    var left = Math.max(8, Math.min(last.left, room - width - 8));
    bar.style.top = last.bottom - origin.top + 8 + "px";
    bar.style.left = left - origin.left + "px";
  }

  function update() {
    timer = null;
    var span = selectedSpan();
    if (span) {
      show(span);
    } else if (!bar.contains(document.activeElement)) {
      hide();
    }
  }

  function later(delay) {
    if (timer) clearTimeout(timer);
    timer = setTimeout(update, delay);
  }

  document.addEventListener("mousedown", function (event) {
    if (!bar.contains(event.target)) mouseDown = true;
  });
  document.addEventListener("mouseup", function () {
    mouseDown = false;
    later(0);
  });
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Escape") later(0);
  });
  document.addEventListener("selectionchange", function () {
    if (!mouseDown) later(150); // a mouse still dragging waits for its mouseup
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !bar.hidden) hide();
  });
  // Tab from the selection goes to the bar first, ahead of the passages' numbers in the article.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Tab" || event.shiftKey || bar.hidden) return;
    if (bar.contains(document.activeElement)) return;
    var first = list.hidden || !links.length ? bar.querySelector(".cite-close") : links[0];
    event.preventDefault();
    first.focus();
  });
  // A click in the bar must not clear the selection it is about.
  bar.addEventListener("mousedown", function (event) {
    event.preventDefault();
  });
  bar.addEventListener("focusout", function (event) {
    if (!bar.contains(event.relatedTarget) && !selectedSpan()) hide();
  });
  bar.querySelector(".cite-close").addEventListener("click", hide);
  window.addEventListener("resize", function () {
    if (!bar.hidden) update();
  });
})();
