"""Any change to curated data bumps the dataset version, which retires every cached page."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from positions import models

M2M = [
    models.TalkRound.participants,
    models.Demand.issues,
    models.Response.issues,
    models.Response.answers,
    models.Response.replies_to,
]


def data_changed(sender, **kwargs):
    models.DatasetVersion.bump()


def connect():
    for model in models.CURATED:
        post_save.connect(data_changed, sender=model, dispatch_uid=f"parley-save-{model.__name__}")
        post_delete.connect(
            data_changed, sender=model, dispatch_uid=f"parley-delete-{model.__name__}"
        )
    for descriptor in M2M:
        m2m_changed.connect(
            data_changed,
            sender=descriptor.through,
            dispatch_uid=f"parley-m2m-{descriptor.through.__name__}",
        )
