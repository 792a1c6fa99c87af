"""Attachments on any scoped object: stored privately through Django's storage API, checked for
type and size, fingerprinted (SHA-256), downloadable only by users who can see the owner.

A page shows the panel with `{% load attachments %}{% attachment_panel object %}`; the owner's
model needs nothing but a ScopedQuerySet (`for_user` to see, `writable_by` to add and delete).
"""
