#!/usr/bin/python3
"""A real SMTP server on loopback for the tests (Debian's python3-aiosmtpd): every message it
accepts is written to DIR as <n>.eml (the envelope's recipients in an X-Envelope-To header
first), written whole under another name and then renamed, so a reader never sees half of one.

Addresses behave by their local part, as a mail service would:
  bounce…@     refused for good (550 5.1.1)
  tempfail…@   refused for now (451 4.3.0) the first two times, then taken
  down…@       refused for now, always

  scripts/smtp-sink.py DIR [--port N]   prints "listening on 127.0.0.1:PORT" when ready
"""
import argparse
import asyncio
import itertools
import os
import signal
import sys

from aiosmtpd.smtp import SMTP

counter = itertools.count(1)
tries = {}


class Sink:
    def __init__(self, folder):
        self.folder = folder

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@")[0].lower()
        if local.startswith("bounce"):
            return "550 5.1.1 No such mailbox here"
        if local.startswith("down"):
            return "451 4.3.0 Try again later"
        if local.startswith("tempfail"):
            tries[address] = tries.get(address, 0) + 1
            if tries[address] <= 2:
                return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        n = next(counter)
        name = os.path.join(self.folder, "%06d.eml" % n)
        part = name + ".part"
        with open(part, "wb") as f:
            f.write(("X-Envelope-To: %s\r\n" % ", ".join(envelope.rcpt_tos)).encode())
            f.write(envelope.original_content or envelope.content)
        os.rename(part, name)
        return "250 Message accepted"


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("folder")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.folder, exist_ok=True)
    loop = asyncio.get_running_loop()
    handler = Sink(args.folder)
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", data_size_limit=10 * 1024 * 1024),
        host="127.0.0.1",
        port=args.port,
    )
    port = server.sockets[0].getsockname()[1]
    print("listening on 127.0.0.1:%d" % port, flush=True)
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    server.close()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except ModuleNotFoundError as e:
        sys.exit("%s: install Debian's python3-aiosmtpd (scripts/setup.sh --services)" % e)
