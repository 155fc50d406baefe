#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh KVER KROOT OUT.cpio.gz
#
# Build the base initramfs of the test VM for kernel KVER unpacked in KROOT
# (by get-kernel.sh): busybox-static with its applet links, /init
# (init.sh), /bin/hostrun (hostrun.sh), /bin/imxf-insmod (imxf-insmod.sh)
# and the modules needed to mount the
# host root over virtio-9p (closure from `modprobe --show-depends`,
# decompressed, in load order).  Rebuilt only when an input changes: a
# sha256 over the inputs is kept next to OUT as OUT.inputs.
#
# Env: IMXF_BUSYBOX (default /bin/busybox; the armhf one for the sabrelite
# VM), IMXF_EARLY (modules /init loads before it mounts anything; default
# the virtio-9p ones), IMXF_EARLY_SKIP (an ERE: dependencies left out,
# e.g. crypto drivers for CPU extensions the emulated CPU lacks).
set -eu

die() { echo "mkinitramfs.sh: $*" >&2; exit 1; }

[ $# -eq 3 ] || die "usage: mkinitramfs.sh KVER KROOT OUT.cpio.gz"
kver=$1 kroot=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)
busybox=${IMXF_BUSYBOX:-/bin/busybox}
early=${IMXF_EARLY:-9pnet_virtio 9p virtio_pci}
early_skip=${IMXF_EARLY_SKIP:-}

[ -f "$kroot/lib/modules/$kver/modules.dep" ] || die "$kroot is not an unpacked $kver kernel"
[ -x "$busybox" ] || die "$busybox missing (apt-get install busybox-static)"
file=$(od -An -c -N4 "$busybox" | tr -d ' \n')
[ "$file" = '177ELF' ] || die "$busybox is not an ELF binary"
if LC_ALL=C readelf -l "$busybox" 2>/dev/null | grep -q 'Requesting program interpreter'; then
	die "$busybox is dynamically linked (need busybox-static)"
fi

inputs=$( {
	echo "kver=$kver early=$early skip=$early_skip"
	cat "$kroot/.imxf-kernel-stamp" 2>/dev/null || true
	sha256sum "$here/mkinitramfs.sh" "$here/init.sh" "$here/hostrun.sh" \
		"$here/imxf-insmod.sh" "$busybox" \
		"$kroot/lib/modules/$kver/modules.dep"
} | sha256sum | cut -d' ' -f1)
if [ -s "$out" ] && [ "$(cat "$out.inputs" 2>/dev/null)" = "$inputs" ]; then
	exit 0
fi

echo "mkinitramfs.sh: building $out" >&2
mkdir -p "$(dirname "$out")"
stage=$(mktemp -d "$(dirname "$out")/.stage.XXXXXX")
trap 'rm -rf "$stage" "$stage.deps" "$out.tmp"' EXIT

cd "$stage"
mkdir -p bin dev proc sys tmp run host out hv root mnt etc/imxf lib/imxf-early "lib/modules/$kver"
ln -s bin sbin
mkdir usr
ln -s ../bin usr/bin
ln -s ../bin usr/sbin
cp "$busybox" bin/busybox
# a foreign busybox (armhf) cannot run here: Debian builds busybox-static
# with one configuration for every architecture, the host's lists the same
# applets
applets=$(bin/busybox --list 2>/dev/null || /bin/busybox --list) ||
	die "cannot list the applets of $busybox"
for a in $applets; do
	[ "$a" = busybox ] || ln -s busybox "bin/$a"
done
cp "$here/init.sh" init
cp "$here/hostrun.sh" bin/hostrun
cp "$here/imxf-insmod.sh" bin/imxf-insmod
# #!/bin/bash scripts run with the host's bash (same paths, cwd and env)
printf '#!/bin/sh\n# the host bash, via hostrun\nexec /bin/hostrun /bin/bash "$@"\n' >bin/bash
chmod 0755 init bin/hostrun bin/imxf-insmod bin/bash
echo "root:x:0:0:root:/root:/bin/sh" >etc/passwd
echo "root:x:0:" >etc/group

# modules: insmod order, de-duplicated; builtins need nothing
: >etc/imxf/early-modules
for m in $early; do
	modprobe -S "$kver" -d "$kroot" --show-depends "$m" >>"$stage.deps" ||
		die "modprobe --show-depends $m failed for $kver in $kroot"
done
while read -r kind path _rest; do
	[ "$kind" = insmod ] || continue
	[ -n "$early_skip" ] && echo "$path" | grep -qE -- "$early_skip" && continue
	base=${path##*/}
	case $base in
	*.ko.xz)  name=${base%.xz};  dec="xz -dc" ;;
	*.ko.zst) name=${base%.zst}; dec="zstd -dcq" ;;
	*.ko.gz)  name=${base%.gz};  dec="gzip -dc" ;;
	*.ko)     name=$base;        dec="cat" ;;
	*) die "unexpected module file $path" ;;
	esac
	grep -qx "$name" etc/imxf/early-modules && continue
	$dec "$path" >"lib/imxf-early/$name" || die "cannot unpack $path"
	echo "$name" >>etc/imxf/early-modules
done <"$stage.deps"
rm -f "$stage.deps"
[ -s etc/imxf/early-modules ] || echo "mkinitramfs.sh: note: 9p/virtio all built in" >&2

find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
echo "$inputs" >"$out.inputs"
