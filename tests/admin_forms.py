"""An admin form as the browser posts it back: what the page rendered, fields and inlines."""

from django.forms.models import ModelMultipleChoiceField


def field_value(bound):
    value = bound.value()
    if value is None:
        return ""
    if isinstance(bound.field, ModelMultipleChoiceField) or isinstance(value, (list, tuple)):
        return [str(v.pk if hasattr(v, "pk") else v) for v in value]
    if hasattr(value, "pk"):
        return str(value.pk)
    if isinstance(value, bool):
        return "on" if value else ""
    return str(value)


def form_fields(form):
    data = {}
    for bound in form:
        value = field_value(bound)
        if value == "" and getattr(bound.field.widget, "input_type", None) == "checkbox":
            continue
        if value != "":
            data[bound.html_name] = value
    return data


def form_data(page, **changes):
    """The data a change (or revert, or add) page's form would post unchanged, then ``changes``."""
    context = page.context
    data = form_fields(context["adminform"].form)
    for inline in context.get("inline_admin_formsets") or []:
        formset = inline.formset
        management = formset.management_form
        for bound in management:
            data[bound.html_name] = field_value(bound)
        for form in formset.forms:
            data.update(form_fields(form))
    data.update(changes)
    return data
