#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A second, independent client of the generic netlink family "fastboot"
# (raw AF_NETLINK sockets, no libnl), for what fastboot-target never does:
# malformed and misdirected commands, and a handler that floods INFO lines
# without waiting for acks. Prints TAP lines (numbered from --first) and
# "# " diagnostics; exit status 0 if all passed.
#
#   fastboot_nl_client.py probe [--first N]
#       validation, permissions of scope, unknown requests
#   fastboot_nl_client.py flood INSTANCE LINES [--first N] [--ready FILE]
#       register for INSTANCE, wait for one oem request, answer it from
#       a second socket (must fail), send LINES INFO lines back to back,
#       retrying those the kernel refuses with EAGAIN, then OKAY
#
# The constants are those of include/uapi/linux/usb/fastboot.h (checked
# against the header at start-up).

import errno
import os
import re
import select
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLA_HDRLEN = 4

HDR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "../../../../../include/uapi/linux/usb/fastboot.h")


def uapi():
    """Enum values of the uapi header, by name."""
    text = open(HDR).read()
    vals = {}
    for body in re.findall(r"enum\s+\w+\s*\{(.*?)\};", text, re.S):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        nxt = 0
        for item in [i.strip() for i in body.split(",") if i.strip()]:
            name = item.split("=")[0].strip()
            if "=" not in item:
                vals[name] = nxt
                nxt += 1
    return vals


U = uapi()
CMD_OEM_REGISTER = U["FASTBOOT_CMD_OEM_REGISTER"]
CMD_OEM_UNREGISTER = U["FASTBOOT_CMD_OEM_UNREGISTER"]
CMD_OEM_REQUEST = U["FASTBOOT_CMD_OEM_REQUEST"]
CMD_OEM_INFO = U["FASTBOOT_CMD_OEM_INFO"]
CMD_OEM_DONE = U["FASTBOOT_CMD_OEM_DONE"]
CMD_EVENT = U["FASTBOOT_CMD_EVENT"]
A_INSTANCE = U["FASTBOOT_A_INSTANCE"]
A_STATUS = U["FASTBOOT_A_STATUS"]
A_MESSAGE = U["FASTBOOT_A_MESSAGE"]
A_OEM_ID = U["FASTBOOT_A_OEM_ID"]
A_OEM_COMMAND = U["FASTBOOT_A_OEM_COMMAND"]
A_TIMEOUT_MS = U["FASTBOOT_A_TIMEOUT_MS"]
A_BYTES = U["FASTBOOT_A_BYTES"]

n_test = 0
n_fail = 0


def tap(ok, desc, *diag):
    global n_test, n_fail
    n_test += 1
    if not ok:
        n_fail += 1
    print("%s %d - %s" % ("ok" if ok else "not ok", n_test, desc))
    for d in diag:
        print("# " + str(d))
    sys.stdout.flush()


def nla(atype, payload):
    hdr = struct.pack("=HH", NLA_HDRLEN + len(payload), atype)
    pad = b"\0" * ((4 - len(payload) % 4) % 4)
    return hdr + payload + pad


def nla_str(atype, s):
    return nla(atype, s.encode() + b"\0")


def nla_u32(atype, v):
    return nla(atype, struct.pack("=I", v))


def nla_s32(atype, v):
    return nla(atype, struct.pack("=i", v))


def parse_attrs(data):
    attrs = {}
    while len(data) >= NLA_HDRLEN:
        alen, atype = struct.unpack("=HH", data[:4])
        if alen < NLA_HDRLEN:
            break
        attrs[atype & 0x3fff] = data[4:alen]
        data = data[(alen + 3) & ~3:]
    return attrs


class Genl:
    def __init__(self):
        self.sk = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                NETLINK_GENERIC)
        self.sk.bind((0, 0))
        self.port = self.sk.getsockname()[0]
        self.seq = int(time.time()) & 0xffff
        self.pending = []	# unsolicited messages read while waiting
        self.family = self.resolve("fastboot")

    def send(self, msg_type, cmd, attrs=b"", flags=NLM_F_REQUEST | NLM_F_ACK):
        self.seq += 1
        body = struct.pack("=BBH", cmd, 1, 0) + attrs
        hdr = struct.pack("=IHHII", 16 + len(body), msg_type, flags,
                          self.seq, self.port)
        self.sk.send(hdr + body)
        return self.seq

    def recv(self, timeout=5.0):
        """One netlink message: (type, seq, payload); None on timeout."""
        if self.pending:
            return self.pending.pop(0)
        r, _, _ = select.select([self.sk], [], [], timeout)
        if not r:
            return None
        data = self.sk.recv(65536)
        msgs = []
        while len(data) >= 16:
            ln, mtype, _, seq, _ = struct.unpack("=IHHII", data[:16])
            msgs.append((mtype, seq, data[16:ln]))
            data = data[(ln + 3) & ~3:]
        self.pending.extend(msgs[1:])
        return msgs[0] if msgs else None

    def wait_ack(self, seq, timeout=5.0):
        """errno (0 = ack) of request seq; other messages are kept."""
        keep = []
        deadline = time.time() + timeout
        try:
            while time.time() < deadline:
                m = self.recv(deadline - time.time())
                if m is None:
                    break
                if m[0] == NLMSG_ERROR and m[1] == seq:
                    return -struct.unpack("=i", m[2][:4])[0]
                keep.append(m)
        finally:
            self.pending = keep + self.pending
        raise TimeoutError("no ack for seq %d" % seq)

    def request(self, cmd, attrs=b""):
        return self.wait_ack(self.send(self.family, cmd, attrs))

    def resolve(self, name):
        seq = self.send(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                        nla_str(CTRL_ATTR_FAMILY_NAME, name),
                        flags=NLM_F_REQUEST)
        while True:
            m = self.recv()
            if m is None:
                raise TimeoutError("no reply from nlctrl")
            if m[1] != seq:
                continue
            if m[0] == NLMSG_ERROR:
                raise OSError(-struct.unpack("=i", m[2][:4])[0],
                              "family %s" % name)
            a = parse_attrs(m[2][4:])
            return struct.unpack("=H", a[CTRL_ATTR_FAMILY_ID][:2])[0]

    def wait_cmd(self, cmd, timeout):
        """Next generic netlink message of the family with command cmd."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            m = self.recv(deadline - time.time())
            if m is None:
                break
            if m[0] == self.family and m[2][0] == cmd:
                return parse_attrs(m[2][4:])
        return None


def name(err):
    return errno.errorcode.get(err, str(err)) if err else "0"


def expect(desc, got, *want):
    """The request got one of the errnos in want (0 = acked)."""
    tap(got in want, desc, "got %s, want %s" %
        (name(got), " or ".join(name(w) for w in want)))


def probe():
    a = Genl()
    b = Genl()
    inst = "nlprobe%d" % os.getpid()
    # Strict validation: lengths, types, unknown attributes.
    expect("register: instance of 32 bytes refused",
           a.request(CMD_OEM_REGISTER, nla_str(A_INSTANCE, "x" * 32)),
           errno.EINVAL, errno.ERANGE)
    expect("register: empty instance refused",
           a.request(CMD_OEM_REGISTER, nla_str(A_INSTANCE, "")),
           errno.EINVAL)
    expect("register: instance without NUL refused",
           a.request(CMD_OEM_REGISTER, nla(A_INSTANCE, b"abc")),
           errno.EINVAL)
    expect("register: attribute of another command refused",
           a.request(CMD_OEM_REGISTER,
                     nla_str(A_INSTANCE, inst) + nla_u32(A_OEM_ID, 1)),
           errno.EINVAL)
    expect("register: unknown attribute number refused",
           a.request(CMD_OEM_REGISTER, nla_u32(200, 1)), errno.EINVAL)
    expect("kernel-only command (event) refused",
           a.request(CMD_EVENT), errno.EOPNOTSUPP)
    expect("kernel-only command (oem-request) refused",
           a.request(CMD_OEM_REQUEST), errno.EOPNOTSUPP)
    # Registrations.
    expect("register for one instance", a.request(
        CMD_OEM_REGISTER, nla_str(A_INSTANCE, inst)), 0)
    expect("second registration of that instance: EBUSY", b.request(
        CMD_OEM_REGISTER, nla_str(A_INSTANCE, inst)), errno.EBUSY)
    expect("unregister from another socket: ENOENT", b.request(
        CMD_OEM_UNREGISTER, nla_str(A_INSTANCE, inst)), errno.ENOENT)
    expect("unregister of a scope not held: ENOENT", a.request(
        CMD_OEM_UNREGISTER), errno.ENOENT)
    expect("unregister", a.request(
        CMD_OEM_UNREGISTER, nla_str(A_INSTANCE, inst)), 0)
    expect("register again from the other socket", b.request(
        CMD_OEM_REGISTER, nla_str(A_INSTANCE, inst)), 0)
    b.sk.close()
    c = Genl()
    expect("closing the socket released the registration", c.request(
        CMD_OEM_REGISTER, nla_str(A_INSTANCE, inst)), 0)
    c.sk.close()
    # Answers to requests that do not exist.
    expect("info for an unknown request: ENOENT", a.request(
        CMD_OEM_INFO, nla_u32(A_OEM_ID, 0x12345) +
        nla_str(A_MESSAGE, "x")), errno.ENOENT)
    expect("done for an unknown request: ENOENT", a.request(
        CMD_OEM_DONE, nla_u32(A_OEM_ID, 0x12345) + nla_s32(A_STATUS, 0)),
        errno.ENOENT)
    expect("info without oem-id: EINVAL", a.request(
        CMD_OEM_INFO, nla_str(A_MESSAGE, "x")), errno.EINVAL)
    expect("done without status: EINVAL", a.request(
        CMD_OEM_DONE, nla_u32(A_OEM_ID, 1)), errno.EINVAL)
    expect("info line over 255 bytes: ERANGE", a.request(
        CMD_OEM_INFO, nla_u32(A_OEM_ID, 1) + nla_str(A_MESSAGE, "y" * 256)),
        errno.EINVAL, errno.ERANGE)
    expect("oem-id of the wrong size: EINVAL", a.request(
        CMD_OEM_DONE, nla(A_OEM_ID, b"\1\0") + nla_s32(A_STATUS, 0)),
        errno.EINVAL, errno.ERANGE)


def flood(inst, lines, ready):
    a = Genl()
    b = Genl()
    expect("flood: register for %s" % inst, a.request(
        CMD_OEM_REGISTER, nla_str(A_INSTANCE, inst)), 0)
    if ready:
        open(ready, "w").close()
    req = a.wait_cmd(CMD_OEM_REQUEST, 60)
    tap(req is not None, "flood: oem request received")
    if req is None:
        return
    oid = struct.unpack("=I", req[A_OEM_ID])[0]
    cmd = req[A_OEM_COMMAND].rstrip(b"\0").decode()
    tmo = struct.unpack("=I", req[A_TIMEOUT_MS])[0]
    tap(req[A_INSTANCE].rstrip(b"\0").decode() == inst,
        "flood: request names the instance", "command '%s', timeout %d ms, id %#x" % (cmd, tmo, oid))
    expect("flood: done from another socket: ENOENT", b.request(
        CMD_OEM_DONE, nla_u32(A_OEM_ID, oid) + nla_s32(A_STATUS, 0)),
        errno.ENOENT)
    # Lines back to back: send all, then collect the acks; lines the
    # kernel refused (EAGAIN) are sent again, in order, after a pause.
    todo = ["flood %04d" % i for i in range(lines)]
    again = 0
    while todo:
        seqs = [(a.send(a.family, CMD_OEM_INFO, nla_u32(A_OEM_ID, oid) +
                        nla_str(A_MESSAGE, t)), t) for t in todo]
        todo = []
        for seq, t in seqs:
            err = a.wait_ack(seq)
            if err == errno.EAGAIN:
                todo.append(t)
            elif err:
                tap(False, "flood: INFO refused", name(err))
                return
        again += len(todo)
        if todo:
            time.sleep(0.05)
    tap(True, "flood: %d lines accepted" % lines,
        "%d refused with EAGAIN and sent again" % again)
    expect("flood: done", a.request(
        CMD_OEM_DONE, nla_u32(A_OEM_ID, oid) + nla_s32(A_STATUS, 0) +
        nla_str(A_MESSAGE, "flooded")), 0)
    expect("flood: second done: ENOENT", a.request(
        CMD_OEM_DONE, nla_u32(A_OEM_ID, oid) + nla_s32(A_STATUS, 0)),
        errno.ENOENT)


def main():
    global n_test
    args = sys.argv[1:]
    first, ready = 1, None
    if "--first" in args:
        i = args.index("--first")
        first = int(args[i + 1])
        del args[i:i + 2]
    if "--ready" in args:
        i = args.index("--ready")
        ready = args[i + 1]
        del args[i:i + 2]
    n_test = first - 1
    if args and args[0] == "probe":
        probe()
    elif len(args) == 3 and args[0] == "flood":
        flood(args[1], int(args[2]), ready)
    else:
        print(__doc__ if __doc__ else "usage: see the header", file=sys.stderr)
        return 2
    return 1 if n_fail else 0


if __name__ == "__main__":
    sys.exit(main())
