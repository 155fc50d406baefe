#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench_mkwic.py OUT [SIZE_MIB]: the .wic-like image of make bench.

SIZE_MIB (default 1024) MiB, sparse: an MBR with one Linux partition
from sector 2048 to the end, then every 10 MiB from 8 MiB on a 1 MiB
island of data (half random bytes, half text, as a root file system
holds both: incompressible and compressible), holes elsewhere, so that
about 10 % of the image is mapped. The same bytes every time (fixed
seed): bench.sh makes it on the host for bmaptool and zstd, the guest
makes it again instead of copying 1 GiB through 9p.
"""
import random
import struct
import sys

MIB = 1 << 20
BLOCK = 4096


def text_block(n):
    """4096 bytes of text that differ from block to block."""
    line = b'%010d imxflash bench: a line of text in a file\n' % n
    return (line * (BLOCK // len(line) + 1))[:BLOCK]


def main():
    out = sys.argv[1]
    size = int(sys.argv[2]) * MIB if len(sys.argv) > 2 else 1024 * MIB
    rng = random.Random(20260601)
    with open(out, 'wb') as f:
        f.truncate(size)
        mbr = bytearray(512)
        # status, CHS first (unused), type 0x83, CHS last, LBA, sectors
        mbr[446:462] = struct.pack('<B3sB3sII', 0, bytes(3), 0x83, bytes(3),
                                   2048, size // 512 - 2048)
        mbr[510:512] = b'\x55\xaa'
        f.write(mbr)
        off = 8 * MIB
        while off + MIB <= size:
            f.seek(off)
            f.write(rng.randbytes(MIB // 2))
            first = (off + MIB // 2) // BLOCK
            f.write(b''.join(text_block(first + i)
                             for i in range(MIB // 2 // BLOCK)))
            off += 10 * MIB


if __name__ == '__main__':
    main()
