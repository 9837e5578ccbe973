"""The codebook's decision rules: stated once (positions/codebook.py), shown on /codebook/ with
an example each, and in the same words in docs/codebook.md; each example verbatim in its source."""

import html
import re

import pytest
from django.conf import settings

from positions import citations, codebook, stance_rule
from positions.models import Source, StanceCode


def flat(text):
    return re.sub(r"\s+", " ", text)


DOCS = flat((settings.BASE_DIR / "docs" / "codebook.md").read_text(encoding="utf-8"))


@pytest.mark.parametrize("rule", codebook.RULES, ids=[r.slug for r in codebook.RULES])
def test_docs_state_each_rule_in_the_sites_words(rule):
    for text in (rule.title, rule.rule, rule.example, rule.reading):
        assert flat(text) in DOCS


def test_docs_name_every_relation_and_state():
    for key, label in stance_rule.RELATIONS.items():
        assert f"**{label}**: {stance_rule.RELATION_HELP[key]}" in DOCS
    for key, (_, label) in stance_rule.STATES.items():
        assert f"**{label}**: {stance_rule.STATE_HELP[key]}" in DOCS
    # Every code, with its label and its direction as the data writes them (the API, the
    # downloads and the package say `conditional`, not "on conditions").
    for code in StanceCode:
        direction = stance_rule.direction(code)
        assert f"| `{code.value}` | {code.label} | `{direction}` |" in DOCS


@pytest.mark.django_db
def test_every_example_is_verbatim_in_its_source(dataset):
    for rule in codebook.RULES:
        text = Source.objects.get(slug=rule.source).text
        citations.anchor(text, rule.example)  # raises AnchorError when it is not verbatim


@pytest.mark.django_db
def test_the_codebook_page_shows_each_rule_with_its_example(client, dataset):
    page = html.unescape(client.get("/codebook/").content.decode())
    rules = page[page.index('<h2 id="rules">') : page.index('<h2 id="no-position">')]
    for rule in codebook.RULES:
        assert f'<li id="rule-{rule.slug}"><h3>{rule.title}</h3>' in rules
        assert f"“{rule.example}”" in rules
    state = page[page.index('<h2 id="state">') : page.index('<h2 id="attribution">')]
    for key, (_, label) in stance_rule.STATES.items():
        assert label.capitalize() in state and stance_rule.STATE_HELP[key].capitalize() in state


@pytest.mark.django_db
def test_the_codebook_page_names_each_code_and_direction_as_the_data_writes_them(client):
    page = client.get("/codebook/").content.decode()
    row = page[page.index('<tr id="conditional">') :]
    row = row[: row.index("</tr>")]
    assert "<code>conditional</code> · <code>conditional</code>" in row
    assert "<code>undeclared</code> · <code>withheld</code>" in page
