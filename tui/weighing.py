"""Bench scales in the App: every configured scale read by a worker of the App, as long as it runs.

Like the serial scanners (`tui.scanning`): a scale that cannot open is retried with backoff, its
error published as a status, so plugging it in later is enough; one unplugged while the App
runs is reopened by its reader thread (`tui.devices.threaded`). What it sends goes to the
`ScaleFeed`, where the Make and Devices screens see it; a scale going away or coming back is
told to the maker once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.worker import Worker

from tui.config import ScaleConfig
from tui.devices.threaded import start_when_there
from tui.errors import LotkeeperError
from tui.widgets.literal import clean
from tui.widgets.scales import ScaleFeed

if TYPE_CHECKING:
    from tui.devices.scales import ScaleSource, ScaleStatus


class ScaleSupervisor:
    def __init__(self, app: App[Any], feed: ScaleFeed, *, warn: Callable[[str], None]) -> None:
        self.app = app
        self.feed = feed
        self.warn = warn
        self._down: set[str] = set()
        self._said: dict[str, str] = {}

    def start(self, configs: Iterable[ScaleConfig] = ()) -> list[Worker[None]]:
        """Start every configured scale; an entry that cannot be used is told, the others run.
        The scale drivers are imported only when a scale is configured."""
        workers: list[Worker[None]] = []
        configs = tuple(configs)
        if not configs:
            return workers
        from tui.devices.scales import ScaleStatus, make_scale

        for cfg in configs:
            try:
                source = make_scale(cfg)
            except LotkeeperError as exc:
                self._report(ScaleStatus(cfg.name, False, exc.message))
                continue
            workers.append(
                self.app.run_worker(
                    self._pump(source), name=f"scale {cfg.name}", group="scales", exit_on_error=False
                )
            )
        return workers

    async def stop(self) -> None:
        """Stop every scale and join its reader thread."""
        for worker in self.app.workers:
            if worker.group == "scales" and worker.node is self.app:
                worker.cancel()
        sources, self.feed.sources = list(self.feed.sources.values()), {}
        for source in sources:
            await source.stop()

    async def _pump(self, source: ScaleSource) -> None:
        from tui.devices.scales import ScaleStatus

        self.feed.sources[source.name] = source
        try:
            await start_when_there(
                source.start, lambda why: self._report(ScaleStatus(source.name, False, why))
            )
            async for event in source.events():
                if isinstance(event, ScaleStatus):
                    self._report(event)
                else:
                    self.feed.publish(event)
        except Exception as exc:  # a bug must not take the App down, but must not hide either
            reason = f"scale stopped after an unexpected error: {type(exc).__name__}: {exc}"
            self._report(ScaleStatus(source.name, False, reason))
            raise
        finally:
            await source.stop()

    def _report(self, status: ScaleStatus) -> None:
        self.feed.publish(status)
        said = f"{status.connected}:{status.reason}"
        if self._said.get(status.source) == said:
            return  # the same failure again on a retry: nothing new to say
        self._said[status.source] = said
        if not status.connected:
            self._down.add(status.source)
            self.warn(f"scale {status.source}: {status.reason}")
        elif status.source in self._down:
            self._down.discard(status.source)
            self.app.notify(clean(f"scale {status.source} is back"), markup=False)
