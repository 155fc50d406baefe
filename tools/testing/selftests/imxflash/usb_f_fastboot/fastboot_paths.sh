#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# usb_f_fastboot: "storage" and a partition's "path" mean what they mean
# to the process that writes them (resolved in its context when written,
# as f_mass_storage opens its backing file):
#  - written from a chroot, to files that exist only there: the flashes
#    land in those files; the same names written from outside are
#    refused;
#  - written from a mount namespace that moved a new root over "/" and
#    chrooted into it, as switch_root does: the same, also once that
#    namespace is gone;
#  - wrong paths are refused by the write itself, with the errno (ENOENT,
#    EISDIR, EINVAL) and a kernel log line naming the attribute; what was
#    there stays;
#  - read back: the path as written;
#  - the mount stays busy while a path on it is configured (umount:
#    EBUSY); writing "" or removing the item lets it go;
#  - a file removed since it was configured, or one the writer could only
#    open read-only, is a FAIL naming it, nothing written.
# TAP output.
#
# The suites already run chrooted (hostrun, /hv); the roots made here are
# tmpfs mounts with busybox in them. Images are small: TCG.

. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lib_fastboot.sh"

G=fbpaths
SER=IMXFPATH1
UDC=dummy_udc.0
KiB=1024
MiB=1048576
W=$FB_WORK/paths
R=$W/root		# the chroot
RO=$W/ro		# a read-only mount
N=$W/newroot		# the switch_root-like namespace's new root
F=$(fb_fdir $G)		# the function, as seen from here
FC=/cfg/usb_gadget/$G/functions/fastboot.$G	# ... and from the roots
FBL=$BIN/userspace/fastboot-lite
NSPID=

cleanup() {
	[ -z "$NSPID" ] || kill "$NSPID" 2> /dev/null
	fb_gadget_destroy $G 2> /dev/null
	umount "$R/cfg" "$R" "$RO" 2> /dev/null
}
trap cleanup EXIT

for d in "$R/cfg" "$R" "$RO"; do
	mountpoint -q "$d" && umount "$d"
done
rm -rf "$W"
mkdir -p "$W"
fb_modules "${IMXF_NUM_UDC:-4}" || { echo "Bail out! cannot load modules"; exit 1; }
echo "TAP version 13"

# --- helpers -------------------------------------------------------------------
fb() { fb_fastboot "$SER" "$@"; }

# fails TEXT ARGS...: fastboot ARGS is answered with a FAIL containing TEXT
fails() {
	local want=$1
	shift
	fb_fastboot "$SER" "$@" 2> /dev/null
	grep -F "FAILED (remote: '" "$FB_WORK/fastboot.log" | grep -q -F -- "$want" && return 0
	fb_log "fastboot $*: want FAIL '$want', got:"
	sed 's/^/#   /' "$FB_WORK/fastboot.log" | tail -n 3 >&2
	return 1
}

# wr ROOT FILE VALUE: write VALUE to FILE as a process chrooted into ROOT
# (busybox sh), or from here if ROOT is "-"; the error message (strerror)
# in $W/err
wr() {
	if [ "$1" = - ]; then
		{ echo "$3" > "$2"; } 2> "$W/err"
	else
		# shellcheck disable=SC2016 # the chrooted shell's arguments
		chroot "$1" /bin/busybox sh -c 'echo "$1" > "$2"' sh "$3" "$2" 2> "$W/err"
	fi
}

# refused ROOT ATTR VALUE TEXT: the write (wr) fails with the error TEXT,
# the attribute keeps what it had
refused() {
	local old file=$FC/$2
	[ "$1" = - ] && file=$F/$2
	old=$(cat "$F/$2")
	if wr "$1" "$file" "$3"; then
		fb_log "$2 accepted '$3' (root $1)"
		return 1
	fi
	grep -q -F "$4" "$W/err" || { fb_log "$2 '$3': $(cat "$W/err"), want '$4'"; return 1; }
	[ "$(cat "$F/$2")" = "$old" ] || { fb_log "$2 changed to '$(cat "$F/$2")'"; return 1; }
}

# logged TEXT: a kernel log line since the mark contains TEXT
logged() {
	fb_dmesg_since | grep -q -F -- "$1" && return 0
	fb_log "no kernel log line with '$1'"
	return 1
}

# reads_back ATTR VALUE
reads_back() {
	[ "$(cat "$F/$1")" = "$2" ] && return 0
	fb_log "$1 reads '$(cat "$F/$1")', want '$2'"
	return 1
}

busy() {
	if umount "$1" 2> /dev/null; then
		fb_log "$1 unmounted while a configured path is on it"
		return 1
	fi
	mountpoint -q "$1"
}

fb_mkimage "$W/boot.img" $((100 * KiB + 17)) 1
fb_mkimage "$W/u-boot" $((64 * KiB + 3)) 2
fb_mkimage "$W/ns1" $((32 * KiB + 5)) 3
fb_mkimage "$W/ns2" $((48 * KiB)) 4
fb_mkstore "$W/ns.img" $MiB 9

# --- configured from a chroot with files only it has ---------------------------
t_root() {
	mkdir -p "$R" && mount -t tmpfs -o size=32m pathsroot "$R" &&
		mkdir -p "$R/bin" "$R/cfg" "$R/tmp" "$R/dir" && cp /bin/busybox "$R/bin/" &&
		mount --bind /sys/kernel/config "$R/cfg" &&
		fb_mkstore "$R/emmc.img" $((2 * MiB)) 5 && fb_mkstore "$R/boot.img" $((256 * KiB)) 6 &&
		mknod "$R/null" c 1 3 && : > "$W/outside.img" || return
	# the names mean nothing here
	[ ! -e /emmc.img ] && [ ! -e /boot.img ] && [ ! -e "$R$W/outside.img" ]
}
check "a chroot (tmpfs) with busybox, /emmc.img and /boot.img that only exist there" t_root

fb_dmesg_mark
t_chroot_set() {
	fb_gadget_create $G $SER && fb_set $G max_download_size $MiB &&
		mkdir "$F/partitions/boot" "$F/partitions/nsdisk" "$F/partitions/rofile" || return
	if ! wr "$R" "$FC/storage" /emmc.img || ! wr "$R" "$FC/partitions/boot/path" /boot.img; then
		fb_log "$(cat "$W/err")"
		return 1
	fi
	reads_back storage /emmc.img && reads_back partitions/boot/path /boot.img
}
check "from the chroot: storage /emmc.img, partitions/boot/path /boot.img; read back as written" \
	t_chroot_set

check "from the chroot: a path that exists only outside it: ENOENT, storage unchanged" \
	refused "$R" storage "$W/outside.img" "No such file or directory"
check "kernel log names the attribute and the path" \
	logged "fastboot.$G: storage: $W/outside.img cannot be looked up"
check "from the chroot: partitions/boot/path a directory: EISDIR, path unchanged" \
	refused "$R" partitions/boot/path /dir "Is a directory"
check "kernel log: partitions/boot/path: /dir is a directory" \
	logged "fastboot.$G: partitions/boot/path: /dir is a directory"
check "from the chroot: a character device: EINVAL" refused "$R" storage /null "Invalid argument"
check "from the chroot: a relative path: EINVAL" refused "$R" storage emmc.img "Invalid argument"
t_outside() {
	refused - storage /emmc.img "No such file or directory" &&
		refused - partitions/boot/path /boot.img "No such file or directory"
}
check "the same names written from outside the chroot: ENOENT, both unchanged" t_outside

# --- a path the writer may only read -------------------------------------------
t_ro_set() {
	mkdir -p "$RO" && mount -t tmpfs -o size=1m pathsro "$RO" &&
		fb_mkstore "$RO/ro.img" $((128 * KiB)) 8 && mount -o remount,ro "$RO" &&
		cp "$RO/ro.img" "$W/ro.copy" && fb_set $G partitions/rofile/path "$RO/ro.img" &&
		logged "fastboot.$G: partitions/rofile/path: $RO/ro.img is read-only"
}
check "a file on a read-only mount: accepted, the kernel log says flash and erase will fail" \
	t_ro_set

# --- configured after a switch_root, in a mount namespace --------------------------
# The writer's namespace mounts a tmpfs, moves it over "/" and chroots
# into it (switch_root's steps, on a copy of the mounts), writes
# partitions/nsdisk/path and sleeps: its /emmc.img exists nowhere else.
# ("/" of this chroot is no mount point: unshare cannot make it private;
# /tmp, where the new root is mounted, is made so.)
t_ns_set() {
	mkdir -p "$N" || return
	# shellcheck disable=SC2016 # expanded by the namespace's shell
	unshare -m --propagation unchanged sh -c '
		mount --make-rprivate /tmp && mount -t tmpfs -o size=8m pathsns "$1" &&
		mkdir "$1/bin" "$1/cfg" && cp /bin/busybox "$1/bin/" && cp "$2" "$1/emmc.img" &&
		mount --bind /sys/kernel/config "$1/cfg" && cd "$1" && mount --move . / &&
		exec chroot . /bin/busybox sh -c "echo /emmc.img > $3/partitions/nsdisk/path &&
			: > /ready && exec /bin/busybox sleep 600"' sh "$N" "$W/ns.img" "$FC" &
	NSPID=$!
	for _ in $(seq 100); do
		[ -e "/proc/$NSPID/root/ready" ] && break
		kill -0 "$NSPID" 2> /dev/null || { NSPID=; return 1; }
		usleep 50000
	done
	[ -e "/proc/$NSPID/root/ready" ] && reads_back partitions/nsdisk/path /emmc.img
}
check "switch_root-like namespace: partitions/nsdisk/path /emmc.img written from its new root" \
	t_ns_set

# --- flashing -------------------------------------------------------------------
# One name, two files: storage's /emmc.img is the chroot's, nsdisk's the
# namespace's.
t_flash() {
	local rest=$((4096 + 64 * KiB + 3)) w0 w1
	w0=$(fb_sha "$R/emmc.img" 0 4096)
	w1=$(fb_sha "$R/emmc.img" $rest $((2 * MiB - rest)))
	[ -n "$NSPID" ] && fb_bind $G $UDC && fb flash boot "$W/boot.img" &&
		fb flash 0x1000 "$W/u-boot" && fb flash nsdisk "$W/ns1" || return
	fb_cmp_range "$R/boot.img" 0 "$W/boot.img" && fb_cmp_range "$R/emmc.img" 4096 "$W/u-boot" &&
		[ "$(fb_sha "$R/emmc.img" 0 4096)" = "$w0" ] &&
		[ "$(fb_sha "$R/emmc.img" $rest $((2 * MiB - rest)))" = "$w1" ] &&
		fb_cmp_range "/proc/$NSPID/root/emmc.img" 0 "$W/ns1"
}
check "flash boot, 0x1000, nsdisk: into the chroot's /boot.img and /emmc.img and the namespace's /emmc.img, nothing else" \
	t_flash

t_ro_use() {
	fb getvar partition-size:rofile &&
		[ "$(sed -n 's/^partition-size:rofile: //p' "$FB_WORK/fastboot.log")" = 0x0000000000020000 ] &&
		fails "$RO/ro.img was read-only when configured" flash rofile "$W/u-boot" &&
		cmp -s "$RO/ro.img" "$W/ro.copy"
}
check "rofile: getvar partition-size works, flash FAILs 'read-only when configured'" t_ro_use

t_removed() {
	rm "$R/boot.img" && fb_mkstore "$R/boot.img" $((256 * KiB)) 7 && cp "$R/boot.img" "$W/new.img" &&
		fails "/boot.img was removed since it was configured" flash boot "$W/boot.img" &&
		cmp -s "$R/boot.img" "$W/new.img"
}
check "/boot.img replaced since: flash boot FAILs naming it, the new file untouched" t_removed

t_ns_gone() {
	[ -n "$NSPID" ] && kill "$NSPID" && wait "$NSPID" 2> /dev/null
	NSPID=
	fb flash nsdisk "$W/ns2" || return
	"$FBL" -s $SER fetch nsdisk "$W/f2" --size $((48 * KiB)) > "$W/fbl.log" 2>&1 ||
		{ sed 's/^/#   /' "$W/fbl.log" >&2; return 1; }
	cmp "$W/f2" "$W/ns2"
}
check "namespace gone: flash nsdisk still goes to its /emmc.img, read back by fetch" t_ns_gone

# --- letting go ------------------------------------------------------------------
t_busy() {
	fb_unbind $G && umount "$R/cfg" && busy "$R" && busy "$RO"
}
check "the mounts are busy while paths on them are configured (as with f_mass_storage)" t_busy
t_release() {
	fb_set $G storage "" && fb_set $G partitions/boot/path "" &&
		reads_back storage "" && reads_back partitions/boot/path "" && umount "$R"
}
check "storage and boot's path set to \"\": read back empty, the chroot's mount can go" t_release
t_rmdir() {
	fb_gadget_destroy $G && umount "$RO"
}
check "gadget removed with paths set: the read-only mount can go" t_rmdir

echo "1..$T_N"
tap_done
