"""Load the lists and build the in-process engine in the background at start-up, so
the first instant check is fast and /readyz can tell "still loading" from "broken"."""

from __future__ import annotations

import atexit
import logging
import threading
import time

from matching.errors import ScreeningError
from workers import engines

log = logging.getLogger("screening.api")

# A daemon thread still inside C++ code (scipy, rapidfuzz) when the interpreter
# finalises is unwound by pthread_exit and aborts the process ("terminate called
# without an active exception"); so exit waits, bounded, for the warm-up to finish.
EXIT_WAIT_SECONDS = 30.0


class ListWarmup:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ListWarmup:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="list-warmup", daemon=True)
            self._thread.start()
            atexit.register(self._wait_at_exit)
        return self

    def _wait_at_exit(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            log.info("waiting for the list warm-up to finish before exiting")
            self._thread.join(EXIT_WAIT_SECONDS)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            engines.current_engine()
        except ScreeningError as exc:  # a known problem: one clear line, no traceback
            self.error = exc.message
            log.error("loading the lists failed", extra={"problem": exc.message})
        except Exception as exc:  # reported by /readyz; the process stays up to say so
            self.error = f"{type(exc).__name__}: {exc}"
            log.exception("loading the lists failed")
        else:
            log.info("lists loaded", extra={"seconds": round(time.perf_counter() - started, 2)})
        finally:
            self.done.set()

    def status(self) -> tuple[bool, str]:
        if not self.done.is_set():
            return False, "lists are still loading"
        if self.error:
            return False, f"lists failed to load: {self.error}"
        return True, "loaded"
