"""The reference tables a page looks things up in: rounds, issues, actors, parties and sources.

They are small (tens of rows; hundreds at a hundred times the curated data), so a page reads each
one it needs whole, once, when first asked: a filter form offers its choices from them and
validates a slug against them, and the comparison names its rows and columns from them, so that
neither asks the database again while it renders. A source's text is never read here.
"""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from positions.models import Actor, Issue, Source, TalkRound


class Lookups:
    """One request's reference tables, each read on first use."""

    @cached_property
    def rounds(self):
        return list(TalkRound.objects.public().order_by("order"))

    @cached_property
    def issues(self):
        return list(Issue.objects.public().select_related("parent").order_by("order"))

    @cached_property
    def actors(self):
        return list(Actor.objects.public().select_related("affiliation").order_by("order", "name"))

    @cached_property
    def parties(self):
        """The actors with a position of their own, or through their officials."""
        return list(Actor.objects.public().with_positions().order_by("order", "name"))

    @cached_property
    def sources(self):
        return list(Source.objects.public().only("pk", "slug", "title").order_by("slug"))

    def by_pk(self, table):
        return {obj.pk: obj for obj in getattr(self, table)}


class LoadedChoices(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.objects) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.objects)


class LookupChoiceField(forms.ModelChoiceField):
    """A choice among the rows of one of the page's lookups (named by ``lookup``), given by
    ``to_field_name``. Its queryset only describes the choices: it is never evaluated."""

    iterator = LoadedChoices

    def __init__(self, *args, lookups=None, lookup=None, **kwargs):
        self.lookups, self.lookup = lookups or Lookups(), lookup
        super().__init__(*args, **kwargs)

    @property
    def objects(self):
        return getattr(self.lookups, self.lookup)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for obj in self.objects:
            if str(getattr(obj, self.to_field_name or "pk")) == str(value):
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )
