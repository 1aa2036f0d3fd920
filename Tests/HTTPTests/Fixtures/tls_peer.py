#!/usr/bin/env python3
"""An independent TLS peer for SocketHTTPClientTLSTests (Python's ssl, i.e. OpenSSL
on the server side too, but none of the client's code).

    tls_peer.py CERT KEY   HTTPS server with the given certificate
    tls_peer.py --silent   TCP listener that accepts and never says a word

Listens on 127.0.0.1 (and ::1 on the same port when the machine has it, since
"localhost" may resolve to either), port chosen by the kernel, printed as the
first line on stdout. Exits when stdin closes, so it never outlives the test.

Routes: GET /hello (fixed body and header), POST /echo (body back),
GET /chunked (chunked body), GET /then-close (a keep-alive answer, then
the server closes the idle connection), GET /truncated (promises 1000 bytes, sends 10,
closes), POST /reject (413 and a close, the body left unread). Every response carries X-Connection: the number of the TLS
connection it was served on, so keep-alive reuse is visible.
"""
import http.server
import os
import selectors
import socket
import ssl
import sys
import threading
import time

connection_count = 0
count_lock = threading.Lock()
local = threading.local()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def head(self, status, length=None, extra=()):
        self.send_response(status)
        self.send_header("X-Connection", str(local.number))
        for name, value in extra:
            self.send_header(name, value)
        if length is not None:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def do_GET(self):
        if self.path == "/hello":
            body = b"hello over tls"
            self.head(200, len(body), [("X-Test", "yes"), ("Content-Type", "text/plain")])
            self.wfile.write(body)
        elif self.path == "/chunked":
            self.head(200, extra=[("Transfer-Encoding", "chunked")])
            for part in (b"first,", b"second,", b"x" * 5000):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        elif self.path == "/then-close":
            body = b"last on this connection"
            self.head(200, len(body))
            self.wfile.write(body)
            self.close_connection = True
        elif self.path == "/truncated":
            self.head(200, 1000)
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
        else:
            self.head(404, 0)

    def do_POST(self):
        if self.path == "/reject":
            # Refuse without reading the body: FIN first (the client's socket
            # goes to CLOSE_WAIT), then close with the body unread, which
            # sends a reset. The client's next write fails with EPIPE, which
            # raises SIGPIPE unless the write is guarded.
            self.head(413, 0, [("Connection", "close")])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            time.sleep(0.05)
            self.close_connection = True
            return
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.head(200, len(body), [("X-Length", str(len(body)))])
        self.wfile.write(body)


class Peer:
    """What BaseHTTPRequestHandler expects of a server object."""


def serve_tls(raw, context):
    global connection_count
    try:
        tls = context.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    with count_lock:
        connection_count += 1
        local.number = connection_count
    try:
        Handler(tls, tls.getpeername(), Peer())
    except (ssl.SSLError, OSError):
        pass
    finally:
        tls.close()


def exit_when_stdin_closes():
    sys.stdin.read()
    os._exit(0)


def listeners():
    first = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    first.bind(("127.0.0.1", 0))
    first.listen(64)
    port = first.getsockname()[1]
    result = [first]
    try:
        second = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        second.bind(("::1", port))
        second.listen(64)
        result.append(second)
    except OSError:
        pass
    return port, result


def main():
    silent = sys.argv[1:] == ["--silent"]
    context = None
    if not silent:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
    port, socks = listeners()
    print(port, flush=True)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    held = []
    selector = selectors.DefaultSelector()
    for s in socks:
        selector.register(s, selectors.EVENT_READ)
    while True:
        for key, _ in selector.select():
            raw, _ = key.fileobj.accept()
            if silent:
                held.append(raw)
            else:
                threading.Thread(target=serve_tls, args=(raw, context), daemon=True).start()


if __name__ == "__main__":
    main()
