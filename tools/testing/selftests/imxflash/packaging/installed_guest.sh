#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Guest half of installed_test.sh (busybox sh, in the 6.1 test VM): the
# factory flow of `make demo` - emulated i.MX6ULL boards (board_sim.sh),
# imx-sdp list, imx-factory flashing them, every eMMC proven - once per
# installation of the host, with its tools and modules only:
#
#   installed_guest.sh NAME:BOARDS:BINDIR:SBINDIR:MODDIR:RULES ...
#
# the paths in the host's root (seen at /host, and by hostrun), BOARDS
# emulated boards flashed at once, e.g.
# deb:2:/usr/bin:/usr/sbin:/lib/modules/KVER/updates/dkms:/lib/udev/rules.d/70-imxflash.rules
#
# The project's build/ is hidden first (an empty tmpfs over it, holding
# only the test fixture mkimx that makes the boot image), so nothing of
# the build tree can be run or loaded. The SHA-256 of every module loaded
# and tool run goes to /out/NAME.sha256 for the host to compare with the
# installed files; the TAP goes to /out/guest.tap.

# shellcheck source=../lib/lib.sh
. "$IMXF_SRC/tools/testing/selftests/imxflash/lib/lib.sh"
# shellcheck source=../lib/board_sim.sh
. "$IMXF_SRC/tools/testing/selftests/imxflash/lib/board_sim.sh"

IMG=/tmp/images
proj=${IMXF_SRC#/host}
MODS="usb_f_sdp hid_imx_sdp usb_f_fastboot"
# the TAP for the host (the console has the kernel's lines too)
exec > /out/guest.tap 2>&1

tap_plan $((2 + 6 * $#))

# ev 'CODE': check's command for compound conditions
ev() { eval "$1"; }

# --- the build tree out of reach ----------------------------------------------
mkdir -p /tmp/fixture
cp "$BIN/tools/mkimx" /tmp/fixture/mkimx
hidden=1
# /host is the host's root; hostrun's /hv binds its top directories and
# /host again: each view of build/ gets its own tmpfs. A view that does
# not reach the project at all (a clone under /tmp or /run: hostrun's /hv
# has the guest's own there) has no build/ to hide.
views=
for d in "/host$proj/build" "/hv$proj/build" "/hv/host$proj/build"; do
	[ -d "${d%/build}" ] || { diag "$d: not reachable in the guest"; continue; }
	views="$views $d"
	mount -t tmpfs -o size=8m,mode=755 imxf-nobuild "$d" &&
		mkdir "$d/tools" && cp /tmp/fixture/mkimx "$d/tools/mkimx" || hidden=0
done
# at least the view the tests run from (/host) is one
case "$views " in *" /host$proj/build "*) ;; *) hidden=0 ;; esac
left=$(for d in $views; do
	find "$d" -mindepth 1 ! -path "$d/tools" ! -path "$d/tools/mkimx"
done)
check "build/ hidden from the guest (only the fixture tools/mkimx under it)" \
	ev "[ $hidden = 1 ] && [ -z '$left' ]"
check "no module of ours is loaded before the installed ones" \
	ev '[ ! -d /sys/module/usb_f_sdp ] && [ ! -d /sys/module/hid_imx_sdp ] &&
	    [ ! -d /sys/module/usb_f_fastboot ]'

# the images, as Buildroot's output/images would hold them (board_sim.sh)
sim_make_images "$IMG" imx6ull || diag "cannot make the images"

# realpath_host PATH: PATH with symlinks resolved in the host's root
realpath_host() { hostrun readlink -f "$1"; }

for spec in "$@"; do
	IFS=: read -r name N bindir sbindir moddir rules <<EOF
$spec
EOF
	sums=/out/$name.sha256
	: > "$sums"
	diag "=== $name: tools in $bindir, $sbindir; modules in $moddir; $N boards"
	read -r t0 _ < /proc/uptime

	# --- the installed udev rules and tools ------------------------------
	bad=
	[ -f "/host$rules" ] || bad="$bad rules:$rules"
	for t in $bindir/imx-sdp $bindir/fastboot-lite $bindir/imx-factory \
		 $sbindir/fastboot-target; do
		r=$(realpath_host "$t")
		[ "$r" = "$t" ] || bad="$bad $t->'$r'"
		v=$(hostrun "$t" --version 2>&1)
		case $v in "${t##*/} "*) ;; *) bad="$bad ${t##*/}('$v')" ;; esac
		(cd /host && sha256sum ".$t") >> "$sums"
	done
	check "$name: udev rules $rules present; tools are the files at their paths (no link elsewhere), --version" \
		[ -z "$bad" ]
	[ -z "$bad" ] || diag "$name:$bad"

	# --- the installed modules -------------------------------------------
	for m in $MODS; do
		[ -d "/sys/module/$m" ] && rmmod "$m"
	done
	# sim_modules loads them from there
	export IMXF_MODDIR="/host$moddir"
	if sim_modules "$N"; then
		ok "$name: usb_f_sdp, hid-imx-sdp, usb_f_fastboot insmod'ed from $moddir"
	else
		not_ok "$name: modules from $moddir"
	fi
	for m in usb_f_sdp hid-imx-sdp usb_f_fastboot; do
		(cd /host && sha256sum ".$moddir/$m.ko") >> "$sums"
	done

	# --- the demo flow ---------------------------------------------------
	sim_destroy_all
	sim_watch_start
	i=0
	while [ $i -lt "$N" ]; do
		sim_plug b$i dummy_udc.$i imx6ull || diag "cannot plug b$i"
		i=$((i + 1))
	done
	# each board's node and its probe's identity read before listing
	i=0
	while [ $i -lt 100 ] && [ "$(find /dev -maxdepth 1 -name 'imx-sdp*' | wc -l)" -lt "$N" ]; do
		usleep 100000
		i=$((i + 1))
	done
	hostrun "$bindir/imx-sdp" list > /tmp/list 2>&1
	show_n=$(grep -c ' imx6ull  *open ' /tmp/list)
	sed 's/^/# /' /tmp/list
	check "$name: $bindir/imx-sdp list: the board(s) ($N) in serial download mode" \
		[ "$show_n" = "$N" ]

	rm -rf "/tmp/$name" && mkdir -p "/tmp/$name"
	(cd "/tmp/$name" && timeout 300 hostrun "$bindir/imx-factory" -n "$N" \
		-m "$IMG/flash.manifest" -d "$IMG" -w 30 -l logs -r report \
		--progress lines > out 2>&1)
	rc=$?
	[ $rc = 0 ] || sed 's/^/# /' "/tmp/$name/out"
	check "$name: $bindir/imx-factory -n $N: exit 0, $N ok" \
		ev "[ $rc = 0 ] && grep -qE '^imx-factory: $N boards?, $N ok, 0 failed' /tmp/$name/out"
	bad=0
	i=0
	while [ $i -lt "$N" ]; do
		if ! sim_check_board b$i "$IMG" > "/tmp/$name/check.b$i" 2>&1; then
			sed 's/^/# /' "/tmp/$name/check.b$i"
			bad=$((bad + 1))
		fi
		i=$((i + 1))
	done
	check "$name: every eMMC proven (MBR, u-boot.imx at 0x400, env, misc, rootfs)" \
		[ $bad = 0 ]
	sim_destroy_all
	check "$name: our three modules unload" \
		rmmod hid_imx_sdp usb_f_fastboot usb_f_sdp
	read -r t1 _ < /proc/uptime
	diag "=== $name: $(echo "$t0 $t1" | awk '{ printf "%d", $2 - $1 }') s"
done

tap_done
