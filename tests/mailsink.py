"""A real SMTP server for tests (aiosmtpd), and reading links out of the mail it received."""

import email
import email.policy
import re
import socket
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    """Keep every message the server receives, parsed."""

    def __init__(self):
        self.messages = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.arrived:
            self.messages.append(message)
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, count: int, timeout: float = 10) -> list:
        """Return the messages once `count` have arrived (the server runs in its own thread)."""
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{len(self.messages)} mail(s) arrived, {count} expected")
                self.arrived.wait(left)
            return list(self.messages)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start() -> tuple[Controller, Sink, int]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, sink, port


def body(message) -> str:
    """Return the plain text of a received message, or of a message in Django's locmem outbox."""
    if hasattr(message, "get_body"):
        return message.get_body(preferencelist=("plain",)).get_content()
    return message.body


def link(message, start: str) -> str:
    """Return the first address in the mail's text that begins with `start`."""
    found = re.search(re.escape(start) + r"\S+", body(message))
    assert found, body(message)
    return found.group(0)
