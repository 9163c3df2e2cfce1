"""Load the lists and build the in-process engine in the background at start-up, so
the first instant check is fast and /readyz can tell "still loading" from "broken"."""

from __future__ import annotations

import logging
import threading
import time

from matching.errors import ScreeningError
from workers import engines

log = logging.getLogger("screening.api")


class ListWarmup:
    def __init__(self) -> None:
        self.done = threading.Event()
        self.error: str | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ListWarmup:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="list-warmup", daemon=True)
            self._thread.start()
        return self

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
