"""Any change to curated data bumps the dataset version, which retires every cached page; and no
change is written in the middle of a load (positions/dataset/lock.py)."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from positions import models
from positions.dataset.lock import wait_for_load

M2M = [
    models.TalkRound.participants,
    models.Demand.issues,
    models.Response.issues,
    models.Response.answers,
    models.Response.replies_to,
]


def data_changed(sender, **kwargs):
    """After the change commits, in a statement of its own: a bump inside the transaction would
    hold the counter's row until the end of it, and two edits at once could deadlock on it."""
    transaction.on_commit(models.DatasetVersion.bump)


def connect():
    throughs = [descriptor.through for descriptor in M2M]
    for model in models.CURATED:  # a link table's rows send no signal: m2m_changed, below
        name = model.__name__
        pre_save.connect(wait_for_load, sender=model, dispatch_uid=f"parley-wait-save-{name}")
        pre_delete.connect(wait_for_load, sender=model, dispatch_uid=f"parley-wait-delete-{name}")
    for model in models.CURATED:
        post_save.connect(data_changed, sender=model, dispatch_uid=f"parley-save-{model.__name__}")
        post_delete.connect(
            data_changed, sender=model, dispatch_uid=f"parley-delete-{model.__name__}"
        )
    for through in throughs:
        name = through.__name__
        m2m_changed.connect(wait_for_load, sender=through, dispatch_uid=f"parley-wait-m2m-{name}")
        m2m_changed.connect(data_changed, sender=through, dispatch_uid=f"parley-m2m-{name}")
