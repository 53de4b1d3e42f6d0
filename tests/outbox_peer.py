#!/usr/bin/env python3
"""The far side of the outbox in tests: a webhook receiver and a mail
server on 127.0.0.1, each logging what it receives as JSON lines.

usage: outbox_peer.py [--http-port N | --http-fd FD] [--smtp-port N]
                      [--http-log FILE] [--mail-log FILE]
                      [--status PATH=CODE ...] [--slow SECONDS]

Ports default to 0 (a free one). --http-fd takes a TCP socket the parent
has bound already (and held, refusing connections, while "down"); the peer
listens on it, so no other program can take the port in between. Once both
listen, one line of JSON goes to stdout: {"http": PORT, "smtp": PORT,
"pid": PID}. SIGTERM ends it.

HTTP: every request (any method) is logged as
{"method", "path", "headers": {lower-case name: value}, "body"} before the
reply, so a client that has its reply can read the log. The status comes
from the longest matching path prefix (a prefix matches itself and anything
below it after "/" or "?"): /ok 200, /fail 503, /redirect 302 (to /ok),
/slow 200 after --slow seconds (default 5), anything else 404; --status
adds or overrides prefixes.

SMTP: EHLO/HELO, MAIL FROM, RCPT TO, DATA, RSET, NOOP, QUIT. A recipient
whose local part starts with "reject" gets 550. Each accepted message is
logged as {"from", "rcpt": [...], "data"} (dot-stuffing undone, CRLF kept)
before the 250 that accepts it. Python standard library only.
"""
import argparse
import http.server
import json
import os
import signal
import socket
import socketserver
import sys
import threading
import time

log_lock = threading.Lock()


def log_line(path, record):
    """Appends one JSON line and flushes it before the caller replies."""
    if not path:
        return
    with log_lock:
        with open(path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record) + '\n')
            f.flush()


def make_http_handler(args, rules):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = 'outbox-peer'

        def log_message(self, format, *a):  # quiet: the log file says it all
            pass

        def status_for(self, path):
            best, code = -1, 404
            for prefix, status in rules.items():
                if (path == prefix or path.startswith(prefix.rstrip('/') + '/')
                        or path.startswith(prefix + '?')) and len(prefix) > best:
                    best, code = len(prefix), status
            return code

        def serve(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length > 0 else b''
            log_line(args.http_log, {
                'method': self.command,
                'path': self.path,
                'headers': {k.lower(): v for k, v in self.headers.items()},
                'body': body.decode('utf-8', 'replace'),
            })
            path = self.path.split('?', 1)[0]
            code = self.status_for(path)
            if path == '/slow' or path.startswith('/slow/'):
                time.sleep(args.slow)
            text = ('outbox-peer says %d\n' % code).encode()
            try:
                self.send_response(code)
                if 300 <= code < 400:
                    self.send_header('Location', '/ok')
                self.send_header('Content-Type', 'text/plain')
                self.send_header('Content-Length', str(len(text)))
                self.end_headers()
                self.wfile.write(text)
            except OSError:
                pass  # the client gave up (a timeout test)

        do_POST = do_PUT = do_GET = do_DELETE = do_PATCH = serve

    return Handler


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write((text + '\r\n').encode('ascii'))
        self.wfile.flush()

    @staticmethod
    def address(arg):
        """The address between < and > in 'FROM:<a@b> SIZE=1'."""
        start, end = arg.find('<'), arg.find('>')
        if start < 0 or end < start:
            return None
        return arg[start + 1:end]

    def handle(self):
        sender, rcpts = None, []
        self.reply('220 outbox-peer ESMTP')
        while True:
            raw = self.rfile.readline(65536)
            if not raw:
                return
            line = raw.rstrip(b'\r\n').decode('utf-8', 'replace')
            verb, _, arg = line.partition(' ')
            verb = verb.upper()
            if verb == 'EHLO':
                self.reply('250-outbox-peer greets %s' % arg)
                self.reply('250 HELP')
            elif verb == 'HELO':
                self.reply('250 outbox-peer')
            elif verb == 'MAIL' and arg.upper().startswith('FROM:'):
                sender = self.address(arg[5:])
                rcpts = []
                self.reply('250 2.1.0 ok' if sender is not None else '501 5.5.4 bad address')
            elif verb == 'RCPT' and arg.upper().startswith('TO:'):
                to = self.address(arg[3:])
                if sender is None:
                    self.reply('503 5.5.1 MAIL first')
                elif not to:
                    self.reply('501 5.5.4 bad address')
                elif to.lower().startswith('reject'):
                    self.reply('550 5.1.1 mailbox unavailable')
                else:
                    rcpts.append(to)
                    self.reply('250 2.1.5 ok')
            elif verb == 'DATA':
                if sender is None or not rcpts:
                    self.reply('503 5.5.1 RCPT first')
                    continue
                self.reply('354 end data with <CR><LF>.<CR><LF>')
                lines = []
                while True:
                    raw = self.rfile.readline(1 << 22)
                    if not raw:
                        return
                    if raw in (b'.\r\n', b'.\n'):
                        break
                    if raw.startswith(b'.'):
                        raw = raw[1:]
                    lines.append(raw)
                data = b''.join(lines).decode('utf-8', 'replace')
                log_line(self.server.mail_log, {'from': sender, 'rcpt': rcpts, 'data': data})
                self.reply('250 2.0.0 queued')
                sender, rcpts = None, []
            elif verb == 'RSET':
                sender, rcpts = None, []
                self.reply('250 2.0.0 ok')
            elif verb == 'NOOP':
                self.reply('250 2.0.0 ok')
            elif verb == 'QUIT':
                self.reply('221 2.0.0 bye')
                return
            else:
                self.reply('502 5.5.2 command not recognized')


class SMTPServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--http-port', type=int, default=0)
    parser.add_argument('--http-fd', type=int, default=None)
    parser.add_argument('--smtp-port', type=int, default=0)
    parser.add_argument('--http-log', default=None)
    parser.add_argument('--mail-log', default=None)
    parser.add_argument('--status', action='append', default=[], metavar='PATH=CODE')
    parser.add_argument('--slow', type=float, default=5.0)
    args = parser.parse_args()

    rules = {'/ok': 200, '/fail': 503, '/redirect': 302, '/slow': 200}
    for item in args.status:
        path, _, code = item.partition('=')
        rules[path] = int(code)

    def on_term(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_term)

    http.server.ThreadingHTTPServer.daemon_threads = True
    handler = make_http_handler(args, rules)
    if args.http_fd is None:
        web = http.server.ThreadingHTTPServer(('127.0.0.1', args.http_port), handler)
    else:
        web = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler,
                                              bind_and_activate=False)
        web.socket.close()
        web.socket = socket.socket(fileno=args.http_fd)
        web.server_address = web.socket.getsockname()
        web.server_activate()  # listen()
    mail = SMTPServer(('127.0.0.1', args.smtp_port), SMTPHandler)
    mail.mail_log = args.mail_log
    for server in (web, mail):
        threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1},
                         daemon=True).start()
    print(json.dumps({'http': web.server_address[1], 'smtp': mail.server_address[1],
                      'pid': os.getpid()}), flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        web.server_close()
        mail.server_close()


if __name__ == '__main__':
    sys.exit(main())
