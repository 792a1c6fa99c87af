"""Cache keys that follow the data.

Figures cached under a data version (the highest ids of the tables involved) would come back
after `peiyu restore`, whose rows can carry the very ids of the rows they replace. Every such key
therefore also holds the data generation, which a restore renews. If the cache loses the
generation, a fresh one is drawn, which only costs one recomputation.
"""

import uuid

from django.core.cache import cache

GENERATION_KEY = "peiyu:data-generation"


def data_generation() -> str:
    return cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def new_data_generation() -> str:
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, timeout=None)
    return generation
