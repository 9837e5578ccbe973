"""The source reader (positions/site/reader.py and /sources/<slug>/): an article's light Markdown
rendered safely, every cited passage highlighted at its exact offsets, with its claims a click
away; the passage a claim page links to framed whole, on a wide screen and on a phone."""

import re
import time
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db.models import Count
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from positions.citations import anchor, sha256_text
from positions.models import Citation, Issue, Source, Stance, Status
from positions.site.reader import Passage, readable, render
from tests.conftest import ensure_roles, screenshot
from tests.test_browser_cite import cite_links, select
from tests.test_query_counts import VALIDATOR

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "ul", "ol", "li", "blockquote"}


class Page(HTMLParser):
    """What a reader's HTML holds: its text (all of it, and the part not hidden), the text each
    passage highlights, its anchors and controls in order, its links; and whether it nests."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.text = []
        self.shown = []
        self.marked = {}  # passage id -> the text its marks hold
        self.order = []  # ("anchor", id) and ("control", note id), as they come
        self.links = []  # the attributes of each <a>
        self.feed(html)
        self.close()
        assert not self.stack, f"unclosed: {self.stack}"
        self.text = "".join(self.text)
        self.shown = "".join(self.shown)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        tags = [t for t, _ in self.stack]
        if tag in BLOCKS:
            assert "mark" not in tags and "a" not in tags, (tag, tags)
        if tag in ("a", "button"):  # nothing interactive nests
            assert "a" not in tags and "button" not in tags, (tag, tags)
        if tag == "mark":
            assert "mark" not in tags, tags
        if tag == "a" and attrs.get("class") == "passage-ref":
            self.order.append(("control", attrs["href"].removeprefix("#")))
        elif tag == "a":
            self.links.append(attrs)
        if tag == "span" and attrs.get("class") == "anchor":
            self.order.append(("anchor", attrs["id"]))
        self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if not any("hidden" in attrs for _, attrs in self.stack):
            self.shown.append(data)
        for tag, attrs in self.stack:
            if tag == "mark":
                for name in attrs["data-passages"].split():
                    self.marked[name] = self.marked.get(name, "") + data


def seeds():
    return sorted(settings.PARLEY_SEEDS_DIR.glob("*.txt"))


# --------------------------------------------------------------------------- the renderer


def test_the_markdown_the_articles_use_is_rendered():
    text = (
        "# Title\n\nBy [Dmitry Trenin](#)\n\nMeeting. **NATO / flickr**\n\n## **Roots**\n\n"
        "*First [published](#) by the Carnegie Moscow Center.*\n\n### What Next?\n\n"
        "Original url:\n\n<https://www.themoscowtimes.com/2022/01/21/a76108>\n"
    )
    html = render(text)
    # The page has its h1 and an h2 above the article: the article's headings come below them.
    assert '<h3><span class="md" hidden># </span>Title</h3>' in html
    assert '<h4><span class="md" hidden>## </span><strong>' in html
    assert '<h5><span class="md" hidden>### </span>What Next?</h5>' in html
    assert '<strong><span class="md" hidden>**</span>NATO / flickr' in html
    assert '<em><span class="md" hidden>*</span>First ' in html
    assert html.count("<p>") == 5
    # A link to "#" goes nowhere: its text is plain text. An http(s) link is a link.
    assert 'hidden>[</span>Dmitry Trenin<span class="md" hidden>](#)</span>' in html
    assert Page(html).links == [
        {"href": "https://www.themoscowtimes.com/2022/01/21/a76108", "rel": "nofollow noopener"}
    ]
    shown = " ".join(Page(html).shown.split())
    assert shown == (
        "Title By Dmitry Trenin Meeting. NATO / flickr Roots First published by the Carnegie "
        "Moscow Center. What Next? Original url: https://www.themoscowtimes.com/2022/01/21/a76108"
    )


def test_inline_markup_nests_and_unmatched_delimiters_stay_text():
    page = Page(render("***a*** and *x **y** z* and 2 * 3 = 6 and snake_case_name and a*"))
    assert page.shown == "a and x y z and 2 * 3 = 6 and snake_case_name and a*"
    html = render("***a*** *x **y** z*")
    assert '<strong><span class="md" hidden>**</span><em>' in html
    assert '<em><span class="md" hidden>*</span>x <strong>' in html
    assert render(r"\*not em\*").count("<em>") == 0


@pytest.mark.parametrize("path", seeds(), ids=lambda p: p.name)
def test_every_character_of_the_articles_stays_in_place(path):
    text = path.read_text(encoding="utf-8")
    page = Page(render(text))
    assert page.text == text  # the element's text is the source: offsets carry over as they are


@pytest.mark.parametrize(
    "hostile, shown",
    [
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ('<img src=x onerror="alert(1)">', '<img src=x onerror="alert(1)">'),
        ("[click](javascript:alert(1))", "click"),
        ("[click](JavaScript:alert(1))", "click"),
        ("[click](data:text/html,<b>x</b>)", "click"),
        ("[click](//evil.example/)", "click"),
        ("[click](https://ok.example/a b)", "[click](https://ok.example/a b)"),
        ("<javascript:alert(1)>", "<javascript:alert(1)>"),
        ('[x](https://e.example/"onmouseover="alert(1))', "x"),
        ("**<b>bold</b>**", "<b>bold</b>"),
    ],
)
def test_unsafe_input_is_text_and_only_http_links_are_links(hostile, shown):
    html = render(hostile)
    page = Page(html)
    assert page.text == hostile and page.shown == shown
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    for link in page.links:
        assert re.match(r"https?://", link["href"]) and link["rel"] == "nofollow noopener"
    assert 'href="javascript' not in html.lower()
    if '"onmouseover' in hostile:
        # The quote stays inside the attribute, escaped: no new attribute sneaks in.
        assert page.links == [
            {"href": 'https://e.example/"onmouseover="alert(1)', "rel": "nofollow noopener"}
        ]


def test_a_passage_is_highlighted_at_its_offsets_across_markup_and_paragraphs():
    text = "Some **bold words** and [a link](https://e.org) here.\n\nNext *paragraph* ends."
    start = text.index("words")
    end = text.index("ends") - 1
    passage = Passage(start, end, label="Passage cited by 1 claim", count=1)
    html = render(text, [passage])
    page = Page(html)
    assert page.text == text
    # Its marks hold what a reader sees of it: the syntax and the blank line are not marked.
    assert page.marked == {passage.anchor: "words and a link here.Next paragraph"}
    # One anchor where it begins, one control where it ends, which opens its list of claims.
    assert page.order == [("anchor", passage.anchor), ("control", passage.note)]
    assert html.index(f'id="{passage.anchor}"') < html.index("words")
    assert f'<a class="passage-ref" href="#{passage.note}"' in html
    assert 'aria-label="Passage cited by 1 claim"' in html
    # The blank line between the paragraphs is not highlighted: no mark outside a block.
    assert "</p>\n\n<p>" in html


def test_overlapping_passages_each_keep_their_anchor_control_and_text():
    text = "abcdefghij"
    first, second = Passage(2, 6, count=1), Passage(4, 8, count=2)
    html = render(text, [second, first])
    page = Page(html)
    assert page.marked == {"c2-6": "cdef", "c4-8": "efgh"}
    assert '<mark data-passages="c2-6 c4-8">ef</mark>' in html
    assert page.order == [
        ("anchor", "c2-6"),
        ("anchor", "c4-8"),
        ("control", "n2-6"),
        ("control", "n4-8"),
    ]


def test_a_control_never_lands_inside_a_link():
    text = "See [the full text](https://e.org/a) now."
    passage = Passage(0, text.index(" text"), count=1)
    html = render(text, [passage])
    assert html.index("</a>") < html.index('<a class="passage-ref"')
    Page(html)  # and nothing interactive nests
    # A passage of only the ">" closing one link: its control waits for the next link to close.
    text = "<https://e.org/x><https://e.org/y>"
    html = render(text, [Passage(16, 17, count=1)])
    assert html.endswith(
        '</a><a class="passage-ref" href="#n16-17" aria-label="" title="" data-count="1"></a></p>'
    )
    Page(html)


def test_a_passage_of_only_markup_still_gets_its_anchor_and_control():
    text = "Some **bold** words."
    passage = Passage(text.index("**"), text.index("**") + 2, count=1)
    page = Page(render(text, [passage]))
    assert page.order == [("anchor", passage.anchor), ("control", passage.note)]
    assert page.marked == {}


def test_readable_quotes_drop_the_syntax_and_fold_white_space():
    text = "## **Roots**\n\nThe roots of the [crisis](#)\ncan be *traced*."
    spans = [(0, len(text)), (text.index("Roots"), text.index("The") + 3)]
    assert readable(text, spans) == {
        spans[0]: "Roots The roots of the crisis can be traced.",
        spans[1]: "Roots The",
    }


@pytest.mark.parametrize(
    "hostile",
    ["*a " * 20000, "[" * 100000, "**[a](" * 8000, "_a_b " * 10000, "<https://" * 8000],
    ids=["stars", "brackets", "links", "underscores", "autolinks"],
)
def test_no_input_makes_rendering_slow(hostile):
    started = time.perf_counter()
    assert Page(render(hostile)).text == hostile
    assert time.perf_counter() - started < 5  # quadratic scanning took 7 to 11 seconds here


TOKENS = [
    "a", "b ", " ", "\n", "\n\n", "*", "**", "_", "\\", "[", "]", "(", ")", "<", ">", "#", "## ",
    "](https://e.org/p)", "](#)", "](javascript:alert(1))", "<https://e.org/x>", "<script>", "&",
    '"', "x_y", "é",
]  # fmt: skip


@st.composite
def documents(draw):
    text = "".join(draw(st.lists(st.sampled_from(TOKENS), max_size=40)))
    bounds = st.integers(min_value=0, max_value=len(text))
    passages = {}
    for a, b in draw(st.lists(st.tuples(bounds, bounds), max_size=6)):
        if a != b:
            start, end = min(a, b), max(a, b)
            passages[(start, end)] = Passage(start, end, label=f"{start}", count=1)
    return text, list(passages.values())


@hypothesis_settings(max_examples=300, deadline=None)
@given(documents())
def test_any_text_and_passages_render_whole_nested_and_safe(document):
    text, passages = document
    html = render(text, passages)
    page = Page(html)  # well nested: no block in a mark, nothing interactive in a link
    assert page.text == text
    for link in page.links:
        assert re.match(r"https?://", link["href"]) and link["rel"] == "nofollow noopener"
    # Every passage has exactly one anchor and one control, the anchor first.
    for passage in passages:
        anchors = page.order.index(("anchor", passage.anchor))
        assert page.order.count(("anchor", passage.anchor)) == 1
        assert page.order.count(("control", passage.note)) == 1
        assert anchors < page.order.index(("control", passage.note))
        # What its marks hold is the passage as read: its text less the syntax.
        shown = readable(text, [(passage.start, passage.end)])[(passage.start, passage.end)]
        assert "".join(page.marked.get(passage.anchor, "").split()) == "".join(shown.split())


# --------------------------------------------------------------------------- the page


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def article(html):
    """The rendered article: from the opening of .source-text to its closing </div>."""
    body = html.split('<div class="source-text">', 1)[1]
    return body.split("</div>", 1)[0]


def note(html, passage_note):
    """The list of claims a passage's control opens."""
    body = html.split(f'<div class="passage-note" id="{passage_note}">', 1)[1]
    return body.split("</div>", 1)[0]


def visible_text(html):
    """The words a reader sees in the main part of the page, no markup, no attributes."""
    main = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return Page(re.sub(r"<script[^>]*></script>", "", main)).shown


def test_the_articles_render_from_their_verbatim_text_which_stays_as_it_was(client, dataset):
    for source in Source.objects.all():
        html = get(client, source.get_absolute_url())
        assert Page(article(html)).text == source.text
        assert sha256_text(Source.objects.get(pk=source.pk).text) == source.sha256


def shared_passages():
    """Spans of the dataset cited by two published claims or more, that no round cites and no
    other cited span overlaps (an overlap is drawn as its own highlight)."""
    spans = list(
        Citation.objects.published()
        .filter(talk_round__isnull=True)
        .values("source__slug", "start", "end")
        .annotate(n=Count("pk"))
        .order_by("source__slug", "start")
    )
    everything = list(Citation.objects.values_list("source__slug", "start", "end", "talk_round_id"))
    return [
        s
        for s in spans
        if s["n"] >= 2
        and not any(
            slug == s["source__slug"]
            and ((start, end) != (s["start"], s["end"]) or round_id)
            and start < s["end"]
            and s["start"] < end
            for slug, start, end, round_id in everything
        )
    ]


def test_a_passage_cited_by_two_claims_lists_both(client, dataset):
    shared = next(s for s in shared_passages() if s["n"] == 2)
    span = f"{shared['start']}-{shared['end']}"
    citations = list(
        Citation.objects.filter(source__slug=shared["source__slug"], start=shared["start"])
        .filter(end=shared["end"])
        .published()
    )
    html = get(client, f"/sources/{shared['source__slug']}/")
    listed = note(html, f"n{span}")
    assert "Passage cited by 2 claims" in listed
    for citation in citations:
        assert f'href="{citation.target.get_absolute_url()}"' in listed
    assert (
        f'<a class="passage-ref" href="#n{span}" aria-label="Passage cited by 2 claims" '
        f'title="Passage cited by 2 claims" data-count="2"></a>'
    ) in article(html)


def test_readers_are_told_counts_in_words_never_offsets(client, dataset):
    for source in Source.objects.all():
        html = get(client, source.get_absolute_url())
        shown = visible_text(html)
        assert "haracters" not in shown
        for citation in Citation.objects.published().filter(source=source):
            for offsets in (
                f"{citation.start}–{citation.end}",
                f"{citation.start}-{citation.end}",
                f"[{citation.start}:",
            ):
                assert offsets not in shown, (source.slug, offsets)
    html = get(client, "/sources/trenin-week-of-talks/")
    assert "Passage cited by 1 claim:" in html and "Passage cited by 2 claims:" in html
    assert "cited passages are highlighted" in html


def uncited(source, length=40):
    """A stretch of the source's text that no citation touches."""
    spans = list(Citation.objects.filter(source=source).values_list("start", "end"))
    for match in re.finditer(r"[A-Z][^.\n]{" + str(length) + ",}", source.text):
        start, end = match.start(), match.start() + length
        if all(end <= s or start >= e for s, e in spans):
            return start, end
    raise AssertionError("every sentence is cited")


def test_drafts_are_neither_counted_nor_listed(client, dataset):
    shared = next(s for s in shared_passages() if s["n"] == 2)
    source = Source.objects.get(slug=shared["source__slug"])
    draft = Stance.objects.create(
        actor=Stance.objects.published().first().actor,
        issue=Issue.objects.create(slug="draft-only", title="Draft only", order=999),
        code="open",
        summary="A draft nobody has reviewed",
        attribution="reported",
        status=Status.DRAFT,
    )
    start, end = shared["start"], shared["end"]
    cite(source, draft, start, end)
    alone = uncited(source)
    cite(source, draft, *alone)

    html = get(client, source.get_absolute_url())
    assert f'href="{draft.get_absolute_url()}"' not in html
    assert "Draft only" not in html and "A draft nobody has reviewed" not in html
    # The passage a draft shares with two published claims: cited by those two.
    assert "Passage cited by 2 claims" in note(html, f"n{start}-{end}")
    assert f'href="#n{start}-{end}" aria-label="Passage cited by 2 claims"' in html
    # The passage only the draft cites: not highlighted at all.
    assert "c{}-{}".format(*alone) not in html and "n{}-{}".format(*alone) not in html


def cite(source, claim, start, end):
    Citation.objects.create(
        source=source, stance=claim, quote=source.text[start:end], start=start, end=end
    )


def test_the_source_page_makes_four_queries_on_the_real_dataset(
    client, dataset, django_assert_num_queries
):
    # The source; its cited spans with their counts; the citations of the page's passages with
    # their claims; each claim's passages here, to step through them.
    for page in ("", "?page=2"):
        with django_assert_num_queries(4 + VALIDATOR):
            get(client, f"/sources/trenin-week-of-talks/{page}")


# --------------------------------------------------------------------------- in a browser

ACCENT = "rgb(11, 92, 173)"
FRAMES = "els => els.map(el => getComputedStyle(el).boxShadow)"


@pytest.fixture
def site(live_server):
    call_command("load_dataset", verbosity=0)
    return live_server.url


def crossing_stance_citation():
    """A published stance's citation of the Trenin article whose passage crosses another one
    (so the page shows it in several pieces)."""
    cites = list(
        Citation.objects.published()
        .filter(source__slug="trenin-week-of-talks")
        .select_related("stance")
        .order_by("start", "end")
    )
    for citation in cites:
        if citation.stance_id and any(
            other.start < citation.start < other.end < citation.end for other in cites
        ):
            return citation
    raise AssertionError("no passage crosses another")


@pytest.mark.parametrize(
    "device",
    [
        {"viewport": {"width": 1366, "height": 900}},
        {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
    ],
    ids=["1366", "390"],
)
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_claims_in_context_link_frames_its_whole_passage_and_its_control_lists_it(
    site, browser, device
):
    citation = crossing_stance_citation()
    name = f"c{citation.start}-{citation.end}"
    page = browser.new_context(**device).new_page()
    page.goto(site + citation.stance.get_absolute_url())
    page.locator(f"a[href$='#{name}']").first.click()
    page.wait_for_url(re.compile(f"/sources/trenin-week-of-talks/#{name}$"))
    width = device["viewport"]["width"]
    screenshot(page, f"source-reader-{width}")

    # Every piece of the passage is framed: a bar above and below, and one at each end.
    pieces = page.locator(f"mark[data-passages~='{name}']")
    frames = pieces.evaluate_all(FRAMES)
    assert len(frames) >= 2, frames
    assert all(f.count(ACCENT) >= 2 for f in frames), frames
    assert f"{ACCENT} -3px 0px" in frames[0] and f"{ACCENT} 3px 0px" in frames[-1], frames
    other = page.locator(f"mark:not([data-passages~='{name}'])").first
    assert ACCENT not in other.evaluate("el => getComputedStyle(el).boxShadow")
    # The other passages recede to an underline; the one linked to keeps its highlight.
    background = "el => getComputedStyle(el).backgroundColor"
    assert other.evaluate(background) == "rgba(0, 0, 0, 0)"
    assert pieces.first.evaluate(background) != "rgba(0, 0, 0, 0)"
    top = pieces.first.bounding_box()["y"]
    assert 0 <= top < device["viewport"]["height"]  # scrolled to
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scroll

    # Its number says in words what it opens; touched or pressed, it lists the claim we came
    # from, over the page, which stays where it was; Escape puts the list away.
    control = page.locator(f".passage-ref[href='#n{citation.start}-{citation.end}']")
    assert re.fullmatch(
        r"Passage cited by \d+ claims?( and \d+ rounds?)?", control.get_attribute("aria-label")
    )
    listing = page.locator(f"#n{citation.start}-{citation.end}")
    assert not listing.is_visible()
    scrolled = page.evaluate("scrollY")
    if device.get("has_touch"):
        control.tap()
    else:
        control.focus()
        page.keyboard.press("Enter")
    listing.wait_for(state="visible")
    assert listing.get_by_role("link").filter(has_text=citation.stance.actor.name).count() >= 1
    assert listing.locator(f"a[href='{citation.stance.get_absolute_url()}']").count() == 1
    box = listing.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    assert box["y"] >= 0 and box["y"] + box["height"] <= device["viewport"]["height"]
    assert page.evaluate("scrollY") == scrolled
    assert all(f.count(ACCENT) >= 2 for f in pieces.evaluate_all(FRAMES))  # still framed
    screenshot(page, f"source-reader-claims-{width}")
    page.keyboard.press("Escape")
    listing.wait_for(state="hidden")
    page.wait_for_url(re.compile(f"#{name}$"))  # back at the passage, framed
    assert 0 <= pieces.first.bounding_box()["y"] < device["viewport"]["height"]
    assert all(f.count(ACCENT) >= 2 for f in pieces.evaluate_all(FRAMES))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_select_to_cite_across_markdown_proposes_the_verbatim_text(site, browser):
    ensure_roles()
    user = User.objects.create_user("curator", password="curator-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name="Curator"))
    page = browser.new_context(viewport={"width": 1366, "height": 900}).new_page()
    page.goto(site + "/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("curator-password-1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(site + "/sources/trenin-week-of-talks/")
    text = Source.objects.get(slug="trenin-week-of-talks").text

    # A quote across the edge of bold text keeps its syntax: it is verbatim, and found.
    quote = "Meeting of the NATO-Russia Council. **NATO North Atlantic Treaty Organization"
    select(page, quote)
    proposed = cite_links(page)["on a new stance"][1]["cite_quote"]
    assert proposed == [quote]
    found = anchor(text, quote)
    assert text[found.start : found.end] == quote

    # A heading selected whole: the hidden "## **" and "**" around it are left out.
    page.evaluate("""() => {
        const heading = [...document.querySelectorAll('.source-text h4')]
            .find(h => h.innerText.trim() === 'Roots');
        const range = document.createRange();
        range.selectNodeContents(heading);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        heading.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
    }""")
    page.wait_for_function(
        "() => new URL(document.querySelector('#cite-bar a').href).searchParams"
        ".get('cite_quote') === 'Roots'"
    )
    assert cite_links(page)["on a new stance"][1]["cite_quote"] == ["Roots"]
