"""peiyu worker: run a job-queue consumer (Huey) that executes jobs and periodic tasks.

Run one per host or several; every option of Huey's consumer is accepted (`-w 4` for four worker
threads, `-n` for no periodic tasks). While it runs, it tells /healthz it is alive.
"""

import threading

from huey.contrib.djhuey.management.commands import run_huey

from peiyu.core.jobs import runner

HEARTBEAT_EVERY = 10  # seconds


class Command(run_huey.Command):
    help = "Run a job-queue worker (Huey consumer): jobs started from pages and the periodic tasks."

    def handle(self, *args, **options):
        threading.Thread(target=self.beat, name="peiyu-worker-heartbeat", daemon=True).start()
        super().handle(*args, **options)

    def beat(self):
        stopped = threading.Event()
        while True:
            try:
                runner.beat_worker()
            except Exception:  # a cache hiccup must not stop the heartbeat thread
                runner.log.exception("worker heartbeat failed")
            stopped.wait(HEARTBEAT_EVERY)
