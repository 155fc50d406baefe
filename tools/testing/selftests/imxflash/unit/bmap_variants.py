#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# bmap_variants.py VERSION IMAGE BMAP: BMAP (format 2.0, as `bmaptool
# create` writes it) rewritten in the older format VERSION (1.4, 1.3 or
# 1.2) on stdout, for the parser tests. Written from the format's facts
# (see userspace/lib/bmap.h), independently of the parser under test and
# with Python's hashlib for the digests:
#   1.4  the 2.0 format under another number
#   1.3  ranges carry sha1="..." (SHA-1 of the range's bytes, cut at the
#        image's end), BmapFileSHA1 is the SHA-1 of the file with its
#        own text replaced by zeros, no ChecksumType
#   1.2  as 1.3 without the file digest, MappedBlocksCount after the
#        block map (where the writers of that time put it)
import hashlib
import re
import sys

version, image, bmap = sys.argv[1:4]
text = open(bmap).read()
block_size = int(re.search(r"<BlockSize>\s*(\d+)\s*</BlockSize>", text)[1])
image_data = open(image, "rb").read()


def file_digest(text, tag, algo):
    m = re.search(r"(<%s>\s*)([0-9a-f]+)(\s*</%s>)" % (tag, tag), text)
    zeroed = text[:m.start(2)] + "0" * len(m[2]) + text[m.end(2):]
    digest = hashlib.new(algo, zeroed.encode()).hexdigest()
    return text[:m.start(2)] + digest + text[m.end(2):]


def sha1_range(m):
    first = int(m[2])
    last = int(m[3]) if m[3] else first
    data = image_data[first * block_size:(last + 1) * block_size]
    return '<Range sha1="%s"> %s </Range>' % (hashlib.sha1(data).hexdigest(),
                                            m[0].split(">")[1].split("<")[0].strip())


text = text.replace('<bmap version="2.0">', '<bmap version="%s">' % version)
if version == "1.4":
    sys.stdout.write(file_digest(text, "BmapFileChecksum", "sha256"))
    sys.exit(0)

text = re.sub(r'<Range chksum="([0-9a-f]+)">\s*(\d+)(?:-(\d+))?\s*</Range>',
              sha1_range, text)
text = re.sub(r"\s*<!--[^>]*-->\s*<ChecksumType>[^<]*</ChecksumType>", "", text)
text = re.sub(r"<BmapFileChecksum>\s*[0-9a-f]+\s*</BmapFileChecksum>",
              "<BmapFileSHA1> %s </BmapFileSHA1>" % ("0" * 40), text)
if version == "1.3":
    sys.stdout.write(file_digest(text, "BmapFileSHA1", "sha1"))
    sys.exit(0)

mapped = re.search(r"\s*<MappedBlocksCount>[^<]*</MappedBlocksCount>", text)
text = text[:mapped.start()] + text[mapped.end():]
text = re.sub(r"\s*<BmapFileSHA1>[^<]*</BmapFileSHA1>", "", text)
text = text.replace("</BlockMap>", "</BlockMap>" + mapped[0])
sys.stdout.write(text)
