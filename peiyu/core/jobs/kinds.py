"""The registry of job kinds. An app declares what a kind of job does in its `tasks.py`:

    @jobs.kind("enterprise-export", _("Enterprise export"))
    def export(job, progress):
        ...write job.output_path(".xlsx")...
        return {"rows": 120}          # the job's result (JSON)

The worker finds the function by name, so a job's parameters are all it needs to run again.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    work: Callable
    summary: Callable | None = None  # job → a sentence about its result, for 我的任务
    link: Callable | None = None  # job → (url, text) of the page that shows its outcome


KINDS: dict[str, Kind] = {}


def kind(name: str, label, summary=None, link=None):
    def register(work):
        KINDS[name] = Kind(name, label, work, summary, link)
        return work

    return register


def discover() -> None:
    """Import every app's `tasks` module so its kinds and periodic tasks are registered."""
    autodiscover_modules("tasks")


def get(name: str) -> Kind | None:
    if name not in KINDS:
        discover()
    return KINDS.get(name)


def label(name: str) -> str:
    found = get(name)
    return str(found.label) if found else name
