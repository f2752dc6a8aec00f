"""The worker process: huey's consumer running jobs in threads, a heartbeat, and the sweeps.

At start it records itself and sweeps: jobs left running by a worker that died (`kill -9`, a power cut) go back in
the queue, and every waiting job is sent again in case its message was lost. Then it beats and sweeps every
BEAT_SECONDS, so that the jobs of a worker that died on another machine are taken up too, and a job past its time
limit is ended (domain.jobs.limits) while the other threads go on with the queue. Ctrl+C (SIGINT) lets the running
jobs finish; SIGTERM stops at once and the interrupted jobs are put back.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime

from domain.jobs.queue import WORKER_STARTS, WORKER_STOPS, huey
from domain.jobs.runner import run
from domain.jobs.workers import BEAT_SECONDS, beat, start_worker, stop_worker, sweep

log = logging.getLogger(__name__)

# An idle worker looks at the queue at least this often (seconds): how long a new job may wait to be noticed.
MAX_POLL_SECONDS = 1.0


def run_worker(app, threads: int = 2) -> None:
    """Run jobs until stopped by a signal."""
    with app.app_context():
        name = start_worker()
        put_back = sweep(resend_waiting=True)
    log.info("worker %s started (%d threads); jobs put back: %s", name, threads, put_back)
    for start in WORKER_STARTS:
        _guarded(start, app)
    stopping = threading.Event()
    # JOBS_BEAT_SECONDS may shorten the beat (tests); never lengthen it: other workers count 45 s of silence as death.
    every = min(float(app.config.get("JOBS_BEAT_SECONDS", BEAT_SECONDS)), BEAT_SECONDS)

    def heartbeat() -> None:
        while not stopping.wait(every):
            try:
                with app.app_context():
                    beat(name)
                    sweep()
            except Exception:  # a busy database now and then: beat again next time
                log.warning("heartbeat of worker %s failed", name, exc_info=True)

    threading.Thread(target=heartbeat, name="vanban-heartbeat", daemon=True).start()
    consumer = huey.create_consumer(workers=threads, worker_type="thread", periodic=False,
                                    max_delay=MAX_POLL_SECONDS, check_worker_health=True)
    try:
        consumer.run()
    finally:
        stopping.set()
        for stop in WORKER_STOPS:
            _guarded(stop, app)
        with app.app_context():
            stop_worker(name)
        log.info("worker %s stopped", name)


def _guarded(step, app) -> None:
    """A feature's start or stop step; its failure is logged and does not stop the worker (jobs fall back)."""
    try:
        with app.app_context():
            step(app)
    except Exception:
        log.exception("worker step %s failed", getattr(step, "__qualname__", step))


def work_in_thread(app, poll_seconds: float = 0.05) -> threading.Event:
    """Run the jobs of this app's in-memory queue in a thread of this process (a test's live server): each message
    as it comes, and retries when they fall due. Bound to the queue storage of now, so a later app's queue is not
    its business. Set the returned event to stop."""
    stop = threading.Event()
    storage = huey.storage

    def loop() -> None:
        while not stop.is_set():
            for data in storage.read_schedule(datetime.now(UTC).replace(tzinfo=None)):
                storage.enqueue(data)
            data = storage.dequeue()
            if data is None:
                stop.wait(poll_seconds)
                continue
            job_id, = huey.deserialize_task(data).args
            try:
                run(job_id, app)
            except Exception:  # a job's own failure is recorded on it; keep serving the others
                log.exception("in-process worker: job %s", job_id)

    threading.Thread(target=loop, name="vanban-jobs", daemon=True).start()
    return stop
