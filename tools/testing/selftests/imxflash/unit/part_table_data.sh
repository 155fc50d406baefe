#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# part_table_data.sh DIR: disk images with MBR and GPT tables made by
# util-linux for the part_table_*_test unit tests (and the seeds of
# fuzz_part_table).
#   NAME.img    the image (sparse file)
#   NAME.json   `sfdisk --json NAME.img` (512-byte sectors)
#   NAME.dump   4096-byte sector images (NAME = *4k*): fdisk -b 4096 made
#               them and wrote its sfdisk-style dump ('O'), since sfdisk
#               2.38 has no sector size option for image files
# Partition GUIDs are random: the test reads what the tools wrote.
set -eu

PATH=$PATH:/usr/sbin:/sbin
for t in sfdisk fdisk; do
	command -v $t >/dev/null || {
		echo "error: $t not found: apt-get install fdisk" >&2
		exit 1
	}
done

dir=$1
mkdir -p "$dir"
cd "$dir"

# mk NAME SIZE: sfdisk reads the script on stdin
mk() {
	rm -f "$1.img"
	truncate -s "$2" "$1.img"
	sfdisk -q --no-reread "$1.img" >/dev/null
	sfdisk --json "$1.img" >"$1.json"
}

mk gpt-basic 64M <<EOF
label: gpt
size=8M, name=boot
size=16M, name=rootfs
name=data
EOF

# Unused entries 1 and 3, a 36-character name, a non-ASCII name, a name
# with a space, attribute bits, a partition type other than Linux.
mk gpt-gaps 32M <<EOF
label: gpt
gpt-gaps.img4 : start=4096, size=2048, name="ümlaut", attrs="RequiredPartition,GUID:63"
gpt-gaps.img2 : start=8192, size=100, name="abcdefghijklmnopqrstuvwxyz0123456789"
gpt-gaps.img5 : start=10240, size=1, name="a b", type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
EOF

# A 4-entry table (one LBA) and usable LBAs right after it.
mk gpt-short-table 4M <<EOF
label: gpt
table-length: 4
first-lba: 3
start=3, size=2045, name=first
name=rest
EOF

# Partitions filling the usable LBAs exactly.
mk gpt-full 8M <<EOF
label: gpt
first-lba: 34
start=34, size=100, name=a
name=b
EOF

mk mbr-basic 64M <<EOF
label: dos
size=8M, type=c, bootable
size=8M
type=5
size=4M
size=4M, type=82
type=83
EOF

# Unused entries 1 and 2, extended partition 4 with one logical.
mk mbr-gaps 16M <<EOF
label: dos
mbr-gaps.img3 : start=2048, size=2048, type=83
mbr-gaps.img4 : start=8192, size=8192, type=f
mbr-gaps.img5 : start=10240, size=1024, type=7
EOF

# fdk NAME SIZE: fdisk -b 4096 reads its commands on stdin, then dumps
fdk() {
	rm -f "$1.img" "$1.dump"
	truncate -s "$2" "$1.img"
	{ cat; printf 'O\n%s\nw\n' "$1.dump"; } |
		fdisk -b 4096 "$1.img" >/dev/null
	test -s "$1.dump"
}

# g: new GPT; n NUM FIRST LAST; x/n/r: expert mode, partition name
fdk gpt4k-basic 64M <<EOF
g
n
1

+4M
n
2

+8M
x
n
1
boot
n
2
root fs
r
EOF

# o: new DOS table; primary, extended, two logicals
fdk mbr4k-basic 64M <<EOF
o
n
p
1

+4M
n
e
2

+16M
n
l

+4M
n
l


EOF
