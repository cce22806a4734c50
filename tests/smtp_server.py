"""A real SMTP server on loopback for mail-outage tests: it refuses connections (as a server that is down does)
until `accept()` is called, then takes every message it is given."""

import contextlib
import email
import email.policy
import socket
import threading


class SmtpServer:
    def __init__(self):
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))  # bound but not listening: connections are refused
        self.port = self._sock.getsockname()[1]
        self.messages: list[email.message.EmailMessage] = []
        self._received = threading.Condition()
        self._closed = False

    def accept(self) -> None:
        self._sock.listen(16)
        threading.Thread(target=self._serve, daemon=True).start()

    def wait_for(self, count: int, seconds: float) -> bool:
        with self._received:
            return self._received.wait_for(lambda: len(self.messages) >= count, timeout=seconds)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()

    def _serve(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(conn,), daemon=True).start()

    def _session(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 localhost ESMTP test\r\n")
            for line in lines:
                verb = line[:4].upper()
                if verb == b"EHLO":
                    conn.sendall(b"250-localhost\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    self._store(self._read_data(lines))
                    conn.sendall(b"250 OK: queued\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 Bye\r\n")
                    return
                else:  # HELO, MAIL, RCPT, RSET, NOOP
                    conn.sendall(b"250 OK\r\n")

    @staticmethod
    def _read_data(lines) -> bytes:
        data = []
        for line in lines:
            if line in (b".\r\n", b".\n"):
                break
            data.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(data)

    def _store(self, raw: bytes) -> None:
        with self._received:
            self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))
            self._received.notify_all()


@contextlib.contextmanager
def smtp_server_down_at_first(settings):
    """Django sends through a real SMTP server on loopback, which refuses connections until `accept()`."""
    server = SmtpServer()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "use_tls": False, "timeout": 5},
        }
    }
    try:
        yield server
    finally:
        server.close()
