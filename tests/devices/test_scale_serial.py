"""Serial scales on real pseudo-terminals: each protocol's bytes, unstable first, unplug, replug, silence."""

import asyncio
import threading
import time

import pytest

from tui.config import ScaleConfig
from tui.devices.scales import ScaleNotice, ScaleReading, ScaleStatus, make_scale, next_stable, weigh_once
from tui.devices.scales.serial import SerialScale
from tui.errors import ConfigError, ScaleError

TIMEOUT = 5.0


def cfg_for(port, **kw):
    return ScaleConfig(name="bench", kind="serial", port=str(port), **kw)


class Listener:
    """Collects a scale's events in a task so a test can wait for the one it expects."""

    def __init__(self, source):
        self.source = source
        self.seen = []
        self.queue = asyncio.Queue()
        self.task = asyncio.create_task(self._pump())

    async def _pump(self):
        async for event in self.source.events():
            self.seen.append(event)
            await self.queue.put(event)
        await self.queue.put(None)

    async def next(self, match, timeout=TIMEOUT):
        async with asyncio.timeout(timeout):
            while (event := await self.queue.get()) is not None:
                if match(event):
                    return event
        raise AssertionError("event stream ended")

    async def stable(self):
        return await self.next(lambda e: isinstance(e, ScaleReading) and e.stable)

    async def status(self, connected):
        return await self.next(lambda e: isinstance(e, ScaleStatus) and e.connected == connected)


async def started(fake, **kw):
    scale = SerialScale(cfg_for(fake.port, **kw))
    await scale.start()
    listener = Listener(scale)
    await listener.status(True)
    return scale, listener


def shown(event):
    return f"{event.quantity} {event.protocol}"


@pytest.mark.parametrize(
    ("lines", "weight"),
    [
        ([b"US,+00099.87  g", b"US,+00100.02  g", b"ST,+00100.00  g"], "100 g and"),
        ([b"US,GS,+0001.200kg", b"ST,GS,+0001.234kg"], "1.234 kg and"),
        ([b"QT,+00000036 PC"], "36 pcs and"),
        ([b"     99.80 g ?", b"    100.00 g ?", b"    100.00 g  "], "100 g ohaus"),
        ([b"   12.5 oz  ", b"   12.5 oz  ", b"   12.5 oz  "], "12.5 oz plain"),
    ],
)
async def test_streaming_scales_give_their_stable_weight_after_the_unstable_ones(fake_scale, lines, weight):
    fake = fake_scale()
    scale, listener = await started(fake)
    try:
        fake.play(lines)
        stable = await listener.stable()
        assert shown(stable) == weight
        assert all(not e.stable for e in listener.seen if isinstance(e, ScaleReading) and e is not stable)
        assert scale.protocol == weight.split()[-1]
    finally:
        await scale.stop()


async def test_mt_sics_in_command_mode_is_polled(fake_scale):
    """A Mettler Toledo balance says nothing until asked: `SI` gets the current weight."""
    fake = fake_scale(
        answers={
            b"SI": [b"S D      99.87 g", b"S D     100.01 g", b"S S     100.00 g"],
            b"IP": [b"ES"],
            b"T": [b"T I"],
        }
    )
    scale, listener = await started(fake)
    try:
        stable = await listener.stable()
        assert shown(stable) == "100 g mt-sics"
        unstable = [shown(e) for e in listener.seen if isinstance(e, ScaleReading) and not e.stable]
        assert unstable == ["99.87 g mt-sics", "100.01 g mt-sics"]
        assert fake.received[0] == b"SI"  # probed: detection needed no configuration
        scale.tare()
        refused = await listener.next(lambda e: isinstance(e, ScaleNotice))
        assert refused.message == "scale 'bench' could not tare: it is busy or the weight did not settle"
        assert b"T" in fake.received
    finally:
        await scale.stop()


async def test_configured_ohaus_is_asked_with_ip_and_zeroed_with_z(fake_scale):
    fake = fake_scale(answers={b"IP": [b"    250.50 g ?", b"    250.50 g  "]})
    scale, listener = await started(fake, protocol="ohaus")
    try:
        assert shown(await listener.stable()) == "250.5 g ohaus"
        assert fake.received[:2] == [b"IP", b"IP"]
        scale.zero()
        deadline = time.monotonic() + TIMEOUT
        while b"Z" not in fake.received and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert b"Z" in fake.received
    finally:
        await scale.stop()


async def test_a_plain_scale_has_no_tare_command(fake_scale):
    fake = fake_scale()
    scale, listener = await started(fake, protocol="plain")
    try:
        with pytest.raises(ScaleError, match="press TARE on the scale"):
            scale.tare()
        fake.play([b"  250.5 g"])  # printed once and repeated: stable once it has held
        assert shown(await listener.stable()) == "250.5 g plain"
    finally:
        await scale.stop()


async def test_unplug_and_replug(fake_scale, tmp_path):
    link = tmp_path / "scale"
    fake = fake_scale(link=link)
    scale, listener = await started(fake)
    try:
        fake.play([b"ST,+00100.00  g"])
        assert shown(await listener.stable()) == "100 g and"
        fake.unplug()
        gone = await listener.status(False)
        assert "unplugged" in gone.reason and "waiting for it to come back" in gone.reason
        back = fake_scale(link=link)  # another scale, another protocol, under the same name
        back.play([b"S S      42.00 g"])
        await listener.status(True)
        assert shown(await listener.stable()) == "42 g mt-sics"
    finally:
        await scale.stop()
    await asyncio.wait_for(listener.task, TIMEOUT)


async def test_a_silent_scale_times_out_with_what_to_check(fake_scale):
    fake = fake_scale()
    with pytest.raises(ScaleError) as caught:
        await weigh_once(cfg_for(fake.port, baudrate=2400), timeout_s=2)
    message = caught.value.message
    assert message.startswith(f"scale 'bench' sent nothing in 2 s on {fake.port}")
    assert "baud rate is 2400" in message
    assert fake.received[:2] == [b"SI", b"IP"]  # it was asked, in each protocol's words


async def test_a_scale_that_never_settles_says_so(fake_scale):
    fake = fake_scale(stream=[b"US,+00012.30  g", b"US,+00012.90  g"], cycle=True)
    with pytest.raises(ScaleError, match=r"no stable weight in 1 s \(last reading 12.[39] g, still moving\)"):
        await weigh_once(cfg_for(fake.port), timeout_s=1)


async def test_an_overloaded_scale_says_so(fake_scale):
    fake = fake_scale(stream=[b"OL,+999999.9  g"])
    with pytest.raises(ScaleError, match="no stable weight in 1 s: scale 'bench' is overloaded"):
        await weigh_once(cfg_for(fake.port), timeout_s=1)


async def test_a_wrong_baud_rate_is_reported(fake_scale):
    fake = fake_scale(stream=[b"\x7f\x1f#\x05!\x13~"])
    with pytest.raises(ScaleError, match=r"cannot read .* check the baud rate and parity"):
        await weigh_once(cfg_for(fake.port), timeout_s=1.5)


async def test_weigh_once_takes_one_stable_weight_and_closes(fake_scale):
    fake = fake_scale(stream=[b"US,+00099.00  g", b"ST,+00100.00  g"], cycle=True)
    reading = await weigh_once(cfg_for(fake.port), timeout_s=TIMEOUT)
    assert (shown(reading), reading.stable, reading.source) == ("100 g and", True, "bench")
    assert not any(t.name == "scale:bench" for t in threading.enumerate())


async def test_missing_port_and_bad_settings(tmp_path):
    with pytest.raises(ScaleError, match=r"does not exist\. Plug the scale in"):
        await weigh_once(cfg_for(tmp_path / "ttyUSB9"), timeout_s=1)
    for kw, message in (
        ({"port": ""}, "needs `port`"),
        ({"baudrate": 0}, "`baudrate` must be positive"),
        ({"parity": "mark"}, "`parity` is none, even or odd"),
        ({"protocol": "sartorius"}, "protocol 'sartorius' is not known"),
        ({"kind": "usb-hid"}, "unknown kind 'usb-hid'"),
    ):
        with pytest.raises(ConfigError, match=message):
            make_scale(ScaleConfig(**({"name": "bench", "port": "/dev/ttyUSB0"} | kw)))


async def test_next_stable_reports_an_unplugged_scale(fake_scale, tmp_path):
    # A name of its own: /dev/pts numbers are reused at once by the next pty anyone opens.
    fake = fake_scale(link=tmp_path / "ttyUSB0")
    scale = SerialScale(cfg_for(fake.port))
    await scale.start()
    fake.unplug()
    try:
        # Which sentence depends on whether the reader already tried to reopen the port (timing):
        # either says the scale is gone, and neither is a plain "no weight".
        with pytest.raises(
            ScaleError, match=r"(unplugged|does not exist\. Plug the scale in).* No weight in 2 s\."
        ):
            await next_stable(scale, 2)
    finally:
        await scale.stop()
