"""Curation: the review workflow and its guard, edit conflicts, the editors' queue and the admin site around the models (positions/admin.py)."""
