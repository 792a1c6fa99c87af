"""Jobs and schedules (任务与定时任务) on Huey: apps declare job kinds and periodic tasks in their
`tasks.py`; pages start jobs with `start` and show them on 我的任务. See runner and schedule."""

from peiyu.core.jobs.kinds import kind
from peiyu.core.jobs.runner import JobError, live_progress, retry, run_here, start, state
from peiyu.core.jobs.schedule import periodic

# The states pages compare with (a queued job shows as running).
RUNNING, DONE, FAILED = "running", "done", "failed"

__all__ = ["DONE", "FAILED", "JobError", "RUNNING", "kind", "live_progress", "periodic", "retry", "run_here", "start", "state"]
