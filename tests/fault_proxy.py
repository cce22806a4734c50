"""A TCP proxy on loopback that a test can cut or hang, to put between the portal and PostgreSQL, Redis or any
other service without touching the service itself.

    with FaultProxy("127.0.0.1", 5432) as proxy:   # listens on 127.0.0.1:proxy.port
        ...point the app at proxy.port...
        proxy.cut()      # open connections are reset, new ones are accepted and reset at once
        proxy.hang()     # new connections are accepted and never answered; open ones stop moving bytes
        proxy.restore()  # new connections are forwarded again (those hung stay hung until their client gives up)

The upstream may be absent for a proxy that only ever hangs or cuts. Pure Python: a listening thread and two
pumping threads per connection.
"""

import socket
import struct
import threading
import time

PASS, CUT, HANG = "pass", "cut", "hang"
_POLL = 0.05


def _reset(sock: socket.socket) -> None:
    """Close with an RST, as a service that died would."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    except OSError:
        pass


class _Pipe:
    def __init__(self, proxy: "FaultProxy", client: socket.socket):
        self.proxy = proxy
        self.client = client
        self.upstream: socket.socket | None = None
        self.closed = False

    def start(self) -> None:
        try:
            self.upstream = socket.create_connection(self.proxy.upstream, timeout=2)
        except OSError:
            self.close()
            return
        for src, dst in ((self.client, self.upstream), (self.upstream, self.client)):
            threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        src.settimeout(_POLL)
        while not self.closed:
            if self.proxy.mode == HANG:
                time.sleep(_POLL)
                continue
            try:
                data = src.recv(65536)
            except TimeoutError:
                continue
            except OSError:
                break
            if not data:
                break
            try:
                dst.sendall(data)
            except OSError:
                break
        self.close()

    def close(self, *, reset: bool = False) -> None:
        self.closed = True
        for sock in (self.client, self.upstream):
            if sock is not None:
                _reset(sock) if reset else sock.close()
        self.proxy._forget(self)


class FaultProxy:
    def __init__(self, upstream_host: str = "127.0.0.1", upstream_port: int = 0):
        self.upstream = (upstream_host, upstream_port)
        self.mode = PASS
        self._pipes: set[_Pipe] = set()
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(_POLL)
        self.port = self._listener.getsockname()[1]
        self._stopping = False
        self._thread = threading.Thread(target=self._accept_loop, daemon=True)

    def url(self, scheme: str, path: str = "", user: str = "") -> str:
        return f"{scheme}://{user + '@' if user else ''}127.0.0.1:{self.port}{path}"

    def start(self) -> "FaultProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping = True
        self._thread.join(timeout=2)
        self._listener.close()
        self._close_all(reset=False)

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def cut(self) -> None:
        self.mode = CUT
        self._close_all(reset=True)

    def hang(self) -> None:
        self.mode = HANG

    def restore(self) -> None:
        self.mode = PASS

    @property
    def open_connections(self) -> int:
        return len(self._pipes)

    def _accept_loop(self) -> None:
        while not self._stopping:
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.mode == CUT:
                _reset(client)
                continue
            pipe = _Pipe(self, client)
            with self._lock:
                self._pipes.add(pipe)
            if self.mode == HANG:
                continue  # accepted, never answered (the client's own timeout has to end it)
            pipe.start()

    def _close_all(self, *, reset: bool) -> None:
        with self._lock:
            pipes = list(self._pipes)
        for pipe in pipes:
            pipe.close(reset=reset)

    def _forget(self, pipe: _Pipe) -> None:
        with self._lock:
            self._pipes.discard(pipe)
