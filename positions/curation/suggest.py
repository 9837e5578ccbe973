"""Suggested claims: the passages of a source that read like a claim, each with whom it is likely
said by, which propositions it likely concerns, what kind of move and code, and at which round.
A curator accepts, edits or dismisses each; nothing here writes a claim.

How it reads, with no hosted model and no network call:

- **passages**: the source's sentences (pysbd's rule-based segmentation, on each paragraph), with
  their offsets in the verbatim text, so a suggestion's quote is the text at its offsets;
- **the curated claims as examples**: every published citation's quote with what it backs (its
  kind, code, actor and propositions). A sentence is scored by how near it is to the nearest
  example (TF-IDF cosine, scikit-learn), how many words of a move it holds (demand, reject,
  ready to...), and whether it names an actor; the nearest example suggests its kind and code;
- **the actor**: an official named in the sentence, else the first party named (by name or
  alias), else the one named in the sentence before; in an article an analyst wrote, the
  analyst, unless the sentence reports what a party said or did (said, insists, rejects...);
- **the propositions**: the three nearest, by TF-IDF over each proposition's title, description
  and the quotes curated on it;
- **the round**: the one whose title or city the sentence names, else none (a standing position).

``held_out``: a source's own curated claims are left out of the examples, as they would be for a
new article; docs/suggestions.md measures the suggestions so (``evaluate``).
"""

import re
from dataclasses import asdict, dataclass, field
from functools import cached_property

import pysbd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import linear_kernel

from positions import models

MIN_WORDS = 6  # a shorter line is a heading or a caption, not a claim
CUES = re.compile(
    r"\b(demand\w*|insist\w*|requir\w*|call(?:s|ed)? for|propos\w*|offer\w*|reject\w*|refus\w*|"
    r"rule[sd]? out|non-?starter|unacceptable|ready to|willing|agree\w*|oppos\w*|support\w*|"
    r"warn\w*|threat\w*|condition\w*|guarantee\w*|must|will not|won't|cannot|can't|red line|"
    r"expect\w*|likely|insisted|want\w*|seek\w*|sought|respond\w*|repl\w*|answer\w*)\b",
    re.IGNORECASE,
)
CODE_CUES = [
    (
        re.compile(r"\b(reject\w*|refus\w*|rule[sd]? out|non-?starter|unacceptable)\b", re.I),
        "rejects",
    ),
    (re.compile(r"\b(demand\w*|insist\w*|must|require\w*)\b", re.I), "demands"),
    (re.compile(r"\b(ready to|willing|open to)\b", re.I), "open"),
    (re.compile(r"\b(expect\w*|likely|predict\w*)\b", re.I), "expects"),
]
FIRST_PERSON = re.compile(r"\b(I|my|in my view|I think|I believe)\b")
REPORTING = re.compile(
    r"\b(said|says|say|insist\w*|demand\w*|want\w*|announc\w*|declar\w*|stat(?:ed|es)|"
    r"reject\w*|refus\w*|propos\w*|offer\w*|warn\w*|told|argu\w*|call\w* for)\b",
    re.IGNORECASE,
)


@dataclass
class Suggestion:
    start: int
    end: int
    quote: str
    actor: str | None
    propositions: list = field(default_factory=list)
    kind: str = "stance"  # stance, demand or response
    code: str = ""  # a stance's code or a response's kind; "" for a demand
    round: str | None = None
    score: float = 0.0

    def as_json(self):
        return {**asdict(self), "score": round(self.score, 3)}


@dataclass
class Example:
    quote: str
    kind: str
    code: str
    actor: str
    issues: tuple
    source_id: int


def examples():
    """Every published claim's citations, as examples: one query a kind of claim."""
    found = []
    claims = {
        "stance": models.Stance.objects.published().select_related("actor", "issue"),
        "demand": models.Demand.objects.published()
        .select_related("actor")
        .prefetch_related("issues"),
        "response": models.Response.objects.published()
        .select_related("actor")
        .prefetch_related("issues"),
    }
    for kind, claims_of_kind in claims.items():
        for claim in claims_of_kind.prefetch_related("citations"):
            if kind == "stance":
                issues, code = (claim.issue.slug,), claim.code
            else:
                issues = tuple(i.slug for i in claim.issues.all())
                code = claim.kind if kind == "response" else ""
            for citation in claim.citations.all():
                found.append(
                    Example(
                        citation.quote, kind, code, claim.actor.slug, issues, citation.source_id
                    )
                )
    return found


class Reader:
    """What the suggester knows of the dataset, read once: actors, propositions, rounds and the
    curated examples (less those of ``held_out``, a source id)."""

    def __init__(self, held_out=None):
        self.examples = [e for e in examples() if e.source_id != held_out]
        self.actors = list(models.Actor.objects.select_related("affiliation"))
        self.issues = list(models.Issue.objects.order_by("order", "pk"))
        self.rounds = list(models.TalkRound.objects.order_by("order"))

    @cached_property
    def names(self):
        """[(pattern, actor)]: each actor's name and aliases, an official's surname too."""
        found = []
        for actor in self.actors:
            words = [actor.name, *(a.strip() for a in actor.aliases.split(",") if a.strip())]
            if actor.kind in ("official",) and " " in actor.name:
                words.append(actor.name.split()[-1])
            for word in words:
                found.append((re.compile(rf"\b{re.escape(word)}\b"), actor))
        return found

    @cached_property
    def vectorizer(self):
        corpus = [e.quote for e in self.examples] + [self.issue_text(i) for i in self.issues]
        return TfidfVectorizer(stop_words="english", sublinear_tf=True).fit(corpus or ["empty"])

    def issue_text(self, issue):
        quotes = [e.quote for e in self.examples if issue.slug in e.issues]
        return " ".join([issue.title, issue.description, *quotes])

    @cached_property
    def example_vectors(self):
        return self.vectorizer.transform([e.quote for e in self.examples])

    @cached_property
    def issue_vectors(self):
        return self.vectorizer.transform([self.issue_text(i) for i in self.issues])

    def nearest_issues(self, text, n=3):
        """The ``n`` propositions nearest to ``text``, nearest first."""
        scores = linear_kernel(self.vectorizer.transform([text]), self.issue_vectors)[0]
        return [self.issues[j] for j in scores.argsort()[::-1][:n] if scores[j] > 0]

    def actor_in(self, text):
        mentioned = []
        for pattern, actor in self.names:
            match = pattern.search(text)
            if match:
                mentioned.append((actor.kind != "official", match.start(), actor))
        return min(mentioned, key=lambda m: (m[0], m[1]))[2] if mentioned else None

    def round_in(self, text):
        for talk_round in reversed(self.rounds):
            words = [talk_round.title, talk_round.city]
            if any(w and re.search(rf"\b{re.escape(w)}\b", text) for w in words):
                return talk_round
        return None

    def suggest(self, source):
        """The source's sentences that read like claims, best first."""
        spans = list(sentences(source.text))
        if not spans or not self.examples:
            return []
        texts = [source.text[start:end] for start, end in spans]
        vectors = self.vectorizer.transform(texts)
        nearest = linear_kernel(vectors, self.example_vectors)
        topical = linear_kernel(vectors, self.issue_vectors)
        author = self.author_of(source)
        found, previous = [], None
        for i, ((start, end), text) in enumerate(zip(spans, texts, strict=True)):
            actor = self.actor_in(text)
            named = actor is not None
            if author and (actor is None or not REPORTING.search(text)):
                # An analyst's article: a sentence is the analyst's unless it reports what a
                # party or official said or did.
                actor = author if actor is None or actor.kind != "official" else actor
            actor = actor or previous
            previous = actor or previous
            best = int(nearest[i].argmax())
            example = self.examples[best]
            cues = len(CUES.findall(text))
            score = float(nearest[i][best]) + 0.15 * min(cues, 3) + (0.2 if named else 0.0)
            order = topical[i].argsort()[::-1][:3]
            propositions = [self.issues[j].slug for j in order if topical[i][j] > 0]
            code = example.code
            if example.kind == "stance":
                code = next((c for pattern, c in CODE_CUES if pattern.search(text)), code)
            talk_round = self.round_in(text)
            found.append(
                Suggestion(
                    start,
                    end,
                    text,
                    actor.slug if actor else None,
                    propositions,
                    example.kind,
                    code,
                    talk_round.slug if talk_round else None,
                    score,
                )
            )
        return sorted(found, key=lambda s: (-s.score, s.start))

    def author_of(self, source):
        """The analyst who wrote the source, when the dataset knows them."""
        for actor in self.actors:
            if actor.kind != "analyst":
                continue
            if (source.author and actor.name in source.author) or source.title in actor.name:
                return actor
        return None


SEGMENTER = pysbd.Segmenter(language="en", clean=False, char_span=True)


def sentences(text):
    """(start, end) of each sentence of ``text``, white space trimmed: pysbd, one paragraph (line)
    at a time, so a heading never runs into the paragraph under it."""
    offset = 0
    for line in text.split("\n"):
        if len(line.split()) >= MIN_WORDS:
            for span in SEGMENTER.segment(line):
                piece = line[span.start : span.end]
                start = offset + span.start + (len(piece) - len(piece.lstrip()))
                end = offset + span.start + len(piece.rstrip())
                if len(text[start:end].split()) >= MIN_WORDS:
                    yield start, end
        offset += len(line) + 1


def suggest(source, held_out=False, limit=None):
    """Suggestions for ``source``, best first (``limit`` of them); ``held_out`` leaves its own
    curated claims out of the examples, as for a new article."""
    reader = Reader(held_out=source.pk if held_out else None)
    found = reader.suggest(source)
    return found[:limit] if limit else found


# --------------------------------------------------------------------------- measuring


def overlaps(a_start, a_end, b_start, b_end):
    return a_start < b_end and b_start < a_end


def evaluate(top=(10, 20, 40)):
    """Each curated source, its own claims held out: of its curated passages, how many are in the
    top suggestions; of those found in the top ``max(top)``, how often the actor (or its party)
    and the proposition (first, or among the three) are right. {source slug: figures}."""
    results = {}
    for source in models.Source.objects.order_by("slug"):
        citations = list(
            models.Citation.objects.published()
            .filter(source=source)
            .exclude(talk_round__isnull=False)
            .select_related(
                *("stance__actor__affiliation", "stance__issue"),
                *("demand__actor__affiliation", "response__actor__affiliation"),
            )
            .prefetch_related("demand__issues", "response__issues")
        )
        if not citations:
            continue
        found = suggest(source, held_out=True)
        passages = sorted({(c.start, c.end) for c in citations})
        row = {"sentences": len(found), "passages": len(passages), "claims": len(citations)}
        in_order = sorted(found, key=lambda s: s.start)  # the baseline: read from the top
        for k in top:
            for name, ranked in ((f"top{k}", found), (f"order{k}", in_order)):
                shown = ranked[:k]
                row[name] = sum(
                    any(overlaps(start, end, s.start, s.end) for s in shown)
                    for start, end in passages
                )
        shown = found[: max(top)]
        actor_right = issue_first = issue_three = matched = 0
        for citation in citations:
            hit = next(
                (s for s in shown if overlaps(citation.start, citation.end, s.start, s.end)), None
            )
            if hit is None:
                continue
            matched += 1
            claim = citation.target
            party = claim.actor.affiliation.slug if claim.actor.affiliation_id else claim.actor.slug
            actor_right += hit.actor in (claim.actor.slug, party)
            if citation.stance_id:
                issues = {claim.issue.slug}
            else:
                issues = {i.slug for i in claim.issues.all()}
            issue_first += bool(hit.propositions[:1] and hit.propositions[0] in issues)
            issue_three += bool(issues & set(hit.propositions[:3]))
        row.update(matched=matched, actor=actor_right, issue1=issue_first, issue3=issue_three)
        results[source.slug] = row
    return results
