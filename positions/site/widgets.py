"""Form widgets rendered in Python. Django renders a <select> through a template include per
<option>; a filter that offers every issue and actor at a hundred times the curated data spends
more on those includes than on its query. The markup is the same as Django's templates give."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class QuickSelect(forms.Select):
    """A <select> as django/forms/widgets/select.html writes it, without a template per option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                out.append(f'<optgroup label="{escape(group_name)}">')
            out.extend(
                f'<option value="{escape(option["value"])}"{flatatt(option["attrs"])}>'
                f"{escape(option['label'])}</option>"
                for option in options
            )
            if group_name:
                out.append("</optgroup>")
        out.append("</select>")
        return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped


class Toggle(forms.CheckboxInput):
    """A checkbox that sends ``value`` when ticked, as a plain GET form does, and gives its field
    that string (or nothing), so that a bad value is the field's error, not a silent yes."""

    def __init__(self, value):
        super().__init__(attrs={"value": value}, check_test=lambda v: v == value)

    def format_value(self, value):
        return None  # the value is in the attributes, ticked or not

    def value_from_datadict(self, data, files, name):
        return data.get(name)
