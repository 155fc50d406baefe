#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The installed imxflash, for real, in the 6.1 VM (TAP): on the host,
# dpkg -i imxflash-dkms imxflash-tools (the dkms postinst builds the
# modules for every kernel with headers here, the VM's 6.1 among them,
# not for the running kernel, which has none) and make install
# PREFIX=/usr/local (no DESTDIR). Then one boot of that 6.1 kernel runs
# the factory flow of `make demo` (installed_guest.sh: emulated boards,
# imx-sdp list, imx-factory, every eMMC proven) once with the packages'
# tools and modules (/usr/bin, /usr/sbin, updates/dkms; two boards at
# once) and once with make install's (/usr/local/bin, /usr/local/sbin,
# updates/; one board), with the project's build/ hidden in the guest;
# the SHA-256 of every module loaded and tool run is compared with the
# installed files. Then make uninstall and dpkg --purge, and nothing of
# either is left.
#
# Changes the host's dpkg state, /usr/local and /lib/modules/<kver>: only
# runs when none of it is installed, puts depmod's indexes back as they
# were, and holds /run/lock/imxflash-packages.lock (other package tests
# on this machine wait for it). The .deb files: build/deb/ (make deb,
# built here when missing).
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/installed
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
kver=$("$top/tools/testing/selftests/imxflash/vm/kver.sh" 6.1) || {
	echo "not ok 1 - no 6.1 kernel headers (make deps)"
	exit 1
}
moddir=/lib/modules/$kver
mods="hid-imx-sdp usb_f_sdp usb_f_fastboot"
pkgs="imxflash-tools imxflash-dkms"
arch=$(dpkg --print-architecture)
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

exec 9>/run/lock/imxflash-packages.lock
flock -w 1200 9 || { echo "not ok 1 - /run/lock/imxflash-packages.lock held for 20 min"; exit 1; }

installed() { dpkg-query -W -f '${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
make -s install-list PREFIX=/usr/local >"$out/local.list" 2>"$out/local.list.err"
for p in $pkgs; do
	if installed "$p" || [ -e /var/lib/dkms/imxflash ]; then
		echo "not ok 1 - $p (or imxflash in dkms) is already installed on this machine: not touching it"
		exit 1
	fi
done
while read -r f; do
	if [ -e "$f" ]; then
		echo "not ok 1 - $f exists (make install PREFIX=/usr/local done here?): not touching it"
		exit 1
	fi
done <"$out/local.list"
if [ "$(wc -l <"$out/local.list")" -lt 11 ]; then
	show_log "$out/local.list.err"
	echo "not ok 1 - make install-list PREFIX=/usr/local"
	exit 1
fi

# depmod's indexes of every kernel dir are put back as they were
declare -A had_index had_updates
for d in /lib/modules/*/; do
	d=${d%/}
	had_index[$d]=0
	had_updates[$d]=0
	[ -f "$d/modules.dep" ] && had_index[$d]=1
	[ -d "$d/updates" ] && had_updates[$d]=1
done

local_done=0
cleanup() {
	[ $local_done = 1 ] && make -s uninstall PREFIX=/usr/local >/dev/null 2>&1
	for p in $pkgs; do
		installed "$p" && DEBIAN_FRONTEND=noninteractive dpkg --purge "$p" >/dev/null 2>&1
	done
	for d in "${!had_index[@]}"; do
		[ "${had_updates[$d]}" = 1 ] ||
			rmdir "$d/updates/dkms" "$d/updates" 2>/dev/null
		if [ "${had_index[$d]}" = 0 ] &&
		   [ -z "$(find "$d/" -name '*.ko*' -print -quit)" ]; then
			rm -f "$d"/modules.*
		fi
	done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the packages -------------------------------------------------------------
debs="imxflash-dkms_${ver}_all.deb imxflash-tools_${ver}_$arch.deb"
have=1
for d in $debs; do [ -f "build/deb/$d" ] || have=0; done
if [ $have = 0 ] && ! make deb >"$out/mkdeb.log" 2>&1; then
	show_log "$out/mkdeb.log"
	not_ok "make deb (see ${out#"$top"/}/mkdeb.log)"
	done_tap
	exit 1
fi
# a copy: another make deb may rebuild build/deb/ meanwhile
for d in $debs; do cp "build/deb/$d" "$out/"; done

t0=$(date +%s)
# shellcheck disable=SC2086
if (cd "$out" && DEBIAN_FRONTEND=noninteractive dpkg -i $debs) >"$out/dpkg-i.log" 2>&1 &&
   installed imxflash-dkms && installed imxflash-tools; then
	ok "dpkg -i imxflash-dkms imxflash-tools ($(( $(date +%s) - t0 )) s with the dkms builds: $(sed -n 's/^Building for //p' "$out/dpkg-i.log"))"
else
	show_log "$out/dpkg-i.log" 30
	not_ok "dpkg -i (see ${out#"$top"/}/dpkg-i.log)"
fi

bad=
for m in $mods; do
	f=$moddir/updates/dkms/$m.ko
	case $(modinfo -F vermagic "$f" 2>/dev/null) in
	"$kver "*) ;;
	*) bad="$bad $m" ;;
	esac
done
if [ -z "$bad" ] && dkms status -m imxflash -v "$ver" -k "$kver" | grep -q ': installed'; then
	ok "dkms postinst built and installed the modules for the VM's kernel $kver (running: $(uname -r))"
else
	dkms status 2>&1 | indent "dkms status: "
	not_ok "no dkms modules for $kver:$bad"
fi

# --- make install, no DESTDIR ---------------------------------------------------
local_done=1
t0=$(date +%s)
if make install PREFIX=/usr/local >"$out/install.log" 2>&1; then
	missing=$(while read -r f; do [ -f "$f" ] || echo "$f"; done <"$out/local.list")
	if [ -z "$missing" ]; then
		ok "make install PREFIX=/usr/local: the $(wc -l <"$out/local.list") files of install-list ($(( $(date +%s) - t0 )) s)"
	else
		indent "missing: " <<<"$missing"
		not_ok "make install PREFIX=/usr/local: files missing"
	fi
else
	show_log "$out/install.log"
	not_ok "make install PREFIX=/usr/local (see ${out#"$top"/}/install.log)"
fi

# --- the VM ----------------------------------------------------------------------
deb=deb:2:/usr/bin:/usr/sbin:$moddir/updates/dkms:/lib/udev/rules.d/70-imxflash.rules
loc=local:1:/usr/local/bin:/usr/local/sbin:$moddir/updates:/etc/udev/rules.d/70-imxflash.rules
t0=$(date +%s)
"$top/tools/testing/selftests/imxflash/vm/run-vm.sh" --kernel "$kver" --timeout 900 \
	--mem 1536 --name pkg-installed --out "$out/vm" --modules "$moddir/updates/dkms" -q \
	-- "/host$here/installed_guest.sh" "$deb" "$loc" >"$out/vm.log" 2>&1
vrc=$?
vt=$(( $(date +%s) - t0 ))
gtap=$out/vm/guest.tap
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$gtap" 2>/dev/null | head -n1)
n=0
while IFS= read -r l; do
	case $l in
	"ok "*) ok "vm: ${l#ok * - }"; n=$((n + 1)) ;;
	"not ok "*) not_ok "vm: ${l#not ok * - }"; n=$((n + 1)) ;;
	"#"*) echo "$l" ;;
	esac
done < <(cat "$gtap" 2>/dev/null)
if [ -n "$plan" ] && [ "$n" = "$plan" ]; then
	ok "vm: the guest ran its $plan checks"
else
	not_ok "vm: the guest ran $n of '${plan:-?}' checks (console: ${out#"$top"/}/vm/console.log)"
fi
if [ $vrc = 0 ]; then
	ok "vm $kver: passed, kernel log clean, powered off ($vt s)"
else
	grep -E '^run-vm.sh: (FAIL|TIMEOUT|error|console\|)' "$out/vm.log" | indent
	not_ok "vm $kver: exit $vrc (${out#"$top"/}/vm.log)"
fi

for s in deb local; do
	f=$out/vm/$s.sha256
	if [ "$(grep -c . "$f" 2>/dev/null)" = 7 ] &&
	   (cd / && sha256sum -c --quiet "$f") >"$out/sha-$s.log" 2>&1; then
		ok "$s: the 3 modules loaded and 4 tools run in the VM are the installed files (SHA-256)"
	else
		show_log "$out/sha-$s.log"
		not_ok "$s: what the VM loaded and ran is not what is installed"
	fi
done
# that proof holds whether or not a build tree module has the same bytes
same=0
for m in $mods; do
	cmp -s "$moddir/updates/dkms/$m.ko" "build/kmod/$kver/$m.ko" && same=$((same + 1))
done
diag "dkms-built modules byte-identical to build/kmod/$kver: $same of 3"

# --- make uninstall, dpkg --purge -----------------------------------------------
t0=$(date +%s)
if make uninstall PREFIX=/usr/local >"$out/uninstall.log" 2>&1; then
	left=$(while read -r f; do [ -e "$f" ] && echo "$f"; done <"$out/local.list")
	kept=
	for m in $mods; do
		[ -f "$moddir/updates/dkms/$m.ko" ] || kept="$kept $m"
	done
	if [ -z "$left" ] && [ -z "$kept" ]; then
		local_done=0
		ok "make uninstall PREFIX=/usr/local: its files gone, the package's modules kept ($(( $(date +%s) - t0 )) s)"
	else
		indent "left: " <<<"$left"
		not_ok "make uninstall PREFIX=/usr/local: left:$left; dkms modules removed:$kept"
	fi
else
	show_log "$out/uninstall.log"
	not_ok "make uninstall PREFIX=/usr/local"
fi

t0=$(date +%s)
# shellcheck disable=SC2086
if DEBIAN_FRONTEND=noninteractive dpkg --purge $pkgs >"$out/purge.log" 2>&1; then
	ok "dpkg --purge imxflash-tools imxflash-dkms ($(( $(date +%s) - t0 )) s)"
else
	show_log "$out/purge.log"
	not_ok "dpkg --purge"
fi
left=
for p in $pkgs; do
	case $(dpkg-query -W -f '${Status}' "$p" 2>/dev/null) in
	''|*not-installed) ;;
	*) left="$left pkg:$p" ;;
	esac
done
for f in /lib/modules/*/updates/dkms/hid-imx-sdp.ko* \
	 /lib/modules/*/updates/dkms/usb_f_sdp.ko* \
	 /lib/modules/*/updates/dkms/usb_f_fastboot.ko* \
	 /usr/src/imxflash-"$ver" /var/lib/dkms/imxflash \
	 /usr/bin/imx-sdp /usr/bin/fastboot-lite /usr/bin/imx-factory \
	 /usr/sbin/fastboot-target /lib/udev/rules.d/70-imxflash.rules \
	 /usr/share/man/man1/imx-sdp.1.gz /usr/share/man/man1/imx-factory.1.gz \
	 /usr/share/man/man1/fastboot-lite.1.gz /usr/share/man/man8/fastboot-target.8.gz \
	 /usr/share/doc/imxflash-tools /usr/share/doc/imxflash-dkms; do
	[ -e "$f" ] && left="$left $f"
done
if [ -f "$moddir/modules.dep" ] && grep -qE '(hid-imx-sdp|usb_f_sdp|usb_f_fastboot)\.ko' "$moddir/modules.dep"; then
	left="$left modules.dep-entries"
fi
if [ -z "$left" ]; then
	ok "after purge: packages, modules of every kernel, sources, dkms tree, tools, rules, man pages, modules.dep entries gone"
else
	not_ok "left after purge:$left"
fi

done_tap
