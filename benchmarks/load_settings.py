"""Settings for `load.py` only when `collectstatic` fails with the production manifest storage (a
vendored stylesheet that names a missing font): static files are then served uncompressed, without
the manifest; everything else is production's."""

from peiyu.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"}  # noqa: F405
