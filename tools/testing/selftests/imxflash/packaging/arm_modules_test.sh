#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The three modules for Debian's ARM 6.1 kernels (TAP): make modules-armhf
# (armmp, the i.MX6 kernel) and make modules-arm64 build them from scratch
# with W=1 and sparse (C=1) against the headers unpacked into
# build/kheaders/ (never installed), with no compiler, sparse or modpost
# warning; each .ko is an ELF of that architecture whose vermagic is the
# kernel's release.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/arm
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1
mods="hid-imx-sdp usb_f_sdp usb_f_fastboot"

for arch in armhf arm64; do
	case $arch in
	armhf) machine=ARM ;;
	arm64) machine=AArch64 ;;
	esac
	if ! kdir=$(tools/packaging/kheaders.sh 6.1 $arch 2>"$out/kheaders-$arch.log"); then
		show_log "$out/kheaders-$arch.log"
		not_ok "$arch: Debian 6.1 headers (tools/packaging/kheaders.sh 6.1 $arch)"
		continue
	fi
	kver=${kdir##*/linux-headers-}
	kmod=build/kmod/$kver
	log=$out/build-$arch.log
	# from scratch, so that every object is compiled and checked
	rm -rf "$kmod"
	t0=$(date +%s)
	LANG=C make -j"$(nproc)" modules-$arch W=1 C=1 >"$log" 2>&1
	rc=$?
	t=$(( $(date +%s) - t0 ))
	warn=$(grep -iE 'warning:|error:' "$log")
	# every C file compiled for a module went through sparse too
	nsrc=$(grep '^  CC \[M\] ' "$log" | grep -vc '\.mod\.o$')
	nchk=$(grep -c '^  CHECK ' "$log")
	if [ $rc -eq 0 ] && [ -z "$warn" ] && [ "$nchk" -eq "$nsrc" ] && [ "$nsrc" -ge 20 ]; then
		ok "$arch: make modules-$arch W=1 C=1 against $kver: no warning, $nchk files through sparse ($t s)"
	else
		echo "$warn" | head -n 20 | sed 's/^/#   /'
		[ $rc -eq 0 ] || show_log "$log"
		not_ok "$arch: make modules-$arch W=1 C=1 (exit $rc, $nchk of $nsrc compiled files checked; see ${log#"$top"/})"
	fi

	bad=
	for m in $mods; do
		f=$kmod/$m.ko
		[ -f "$f" ] || { bad="$bad $m:missing"; continue; }
		mm=$(LC_ALL=C readelf -h "$f" | sed -n 's/^ *Machine: *//p')
		[ "$mm" = "$machine" ] || bad="$bad $m:machine'$mm'"
		vm=$(modinfo -F vermagic "$f" 2>/dev/null)
		case $vm in "$kver "*) ;; *) bad="$bad $m:vermagic'$vm'" ;; esac
	done
	if [ -z "$bad" ]; then
		ok "$arch: the three .ko are $machine ELF, vermagic $(modinfo -F vermagic "$kmod/usb_f_fastboot.ko")"
	else
		not_ok "$arch:$bad"
	fi
done

done_tap
