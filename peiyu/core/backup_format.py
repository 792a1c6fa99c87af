"""The serialization format of backups: Django's JSON, with timestamps kept to the microsecond.

JSON rather than XML because XML 1.0 cannot hold some characters at all (a single U+0001 made
every backup fail); JSON escapes any character, so no stored value can block a backup. Django's own
JSON encoder cuts timestamps to milliseconds, so datetimes and times are written in full here.
"""

import datetime

from django.core.serializers.json import Deserializer, DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer

__all__ = ["Deserializer", "Serializer"]


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(JSONSerializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
