#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install / make uninstall into a DESTDIR, on the host (TAP).
#
# Every file of `make install-list` lands with its mode, nothing else does
# but depmod's indexes; the modules are built for KVER and modprobe
# resolves the aliases that load them on demand: every USB ID of
# hid-imx-sdp's table (the ROM plugged in) and usbfunc:fastboot /
# usbfunc:sdp (mkdir functions/fastboot.x in configfs); the udev rules
# cover the same USB IDs; the installed tools run. Then make uninstall
# leaves the DESTDIR empty, and keeps another module of the same kernel
# (and its depmod indexes) when there is one.
set -u

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
top=$(cd "$here/../../../../.." && pwd -P)
# shellcheck source=SCRIPTDIR/tap.sh
. "$here/tap.sh"
out=$top/build/pkgcheck/install
dest=$out/dest
rm -rf "$out"
mkdir -p "$out"
cd "$top" || exit 1

# --- install ------------------------------------------------------------------
if make install DESTDIR="$dest" >"$out/install.log" 2>&1; then
	ok "make install DESTDIR=build/pkgcheck/install/dest"
else
	show_log "$out/install.log"
	not_ok "make install DESTDIR=... (see ${out#"$top"/}/install.log)"
fi

make -s install-list DESTDIR="$dest" >"$out/list" 2>"$out/list.err"
kver=$(sed -n 's|.*/lib/modules/\([^/]*\)/updates/.*|\1|p' "$out/list" | head -n1)
n_listed=$(wc -l <"$out/list")
missing=$(while read -r f; do [ -f "$f" ] || echo "$f"; done <"$out/list")
if [ -n "$kver" ] && [ "$n_listed" -ge 11 ] && [ -z "$missing" ]; then
	ok "all $n_listed files of install-list installed (modules for $kver)"
else
	indent "missing: " <<<"$missing"
	not_ok "install-list: $n_listed files, kver '$kver', $(echo "$missing" | grep -c .) missing"
fi

extra=$(find "$dest" -type f | sort | grep -vxF -f "$out/list" |
	grep -v "^$dest/lib/modules/$kver/modules\.[a-z.]*$")
if [ -z "$extra" ]; then
	ok "nothing installed but the listed files and depmod's indexes"
else
	indent "extra: " <<<"$extra"
	not_ok "files installed that install-list does not name"
fi

bad_mode=$(while read -r f; do
	[ -f "$f" ] || continue
	case $f in
	*/bin/*|*/sbin/*) want=755 ;;
	*) want=644 ;;
	esac
	m=$(stat -c %a "$f")
	[ "$m" = "$want" ] || echo "$f: $m, want $want"
done <"$out/list")
if [ -z "$bad_mode" ]; then
	ok "modes: tools 0755, modules, man pages and udev rules 0644"
else
	indent "" <<<"$bad_mode"
	not_ok "file modes"
fi

# --- modules: for KVER, loaded on demand -----------------------------------------
mods=$dest/lib/modules/$kver/updates
bad=
for m in hid-imx-sdp usb_f_sdp usb_f_fastboot; do
	vm=$(modinfo -F vermagic "$mods/$m.ko" 2>/dev/null)
	case $vm in
	"$kver "*) ;;
	*) bad="$bad $m:'$vm'" ;;
	esac
done
if [ -z "$bad" ]; then
	ok "the three modules are built for $kver (vermagic)"
else
	not_ok "vermagic:$bad"
fi

# resolve ALIAS: the module modprobe would load for ALIAS in the DESTDIR
resolve() { modprobe -d "$dest" -S "$kver" -R "$1" 2>/dev/null | head -n1; }

# The IDs of the driver's table: "VID PID" lines, lower-case hex.
vid_of() { case $1 in IMX_SDP_VID_FSL) echo 15a2 ;; IMX_SDP_VID_NXP) echo 1fc9 ;; esac; }
ids=$(sed -n 's/.*HID_USB_DEVICE(\(IMX_SDP_VID_[A-Z]*\), 0x\([0-9a-fA-F]*\)).*/\1 \2/p' \
	drivers/hid/hid-imx-sdp.c | while read -r v p; do
		echo "$(vid_of "$v") $(echo "$p" | tr 'A-F' 'a-f')"
	done)
n_ids=$(echo "$ids" | grep -c .)
bad=
while read -r v p; do
	[ -n "$v" ] || continue
	# hid:b<bus>g<group>v<vendor>p<product>, as the HID core announces it
	a=$(printf 'hid:b0003g0001v0000%sp0000%s' "$(echo "$v" | tr a-f A-F)" \
		"$(echo "$p" | tr a-f A-F)")
	[ "$(resolve "$a")" = hid_imx_sdp ] || bad="$bad $v:$p"
done <<<"$ids"
if [ "$n_ids" -ge 10 ] && [ -z "$bad" ]; then
	ok "modules.alias: the $n_ids ROM IDs of the driver table load hid_imx_sdp"
else
	not_ok "hid aliases not resolved ($n_ids IDs):$bad"
fi

for f in fastboot sdp; do
	r=$(resolve "usbfunc:$f")
	if [ "$r" = "usb_f_$f" ] &&
	   modinfo -F alias "$mods/usb_f_$f.ko" | grep -qx "usbfunc:$f"; then
		ok "usbfunc:$f (mkdir functions/$f.x) loads usb_f_$f"
	else
		not_ok "usbfunc:$f resolves to '$r'"
	fi
done

# --- udev rules -----------------------------------------------------------------
rules=$(grep '/udev/rules.d/' "$out/list")
syntax=$(grep -v -e '^#' -e '^$' "$rules" | while read -r line; do
	rest=$(echo "$line" | sed -E 's/(^|, )[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|\+=|:=|=)"[^"]*"//g')
	[ -z "$rest" ] || echo "$line"
done)
rule_ids=$(grep -v '^#' "$rules" | sed -n 's/.*idVendor}=="\([0-9a-f]*\)", ATTR{idProduct}=="\([0-9a-f|]*\)".*/\1 \2/p' |
	while read -r v ps; do for p in ${ps//|/ }; do echo "$v $p"; done; done | sort)
if [ -z "$syntax" ] && [ "$rule_ids" = "$(echo "$ids" | sort)" ] &&
   grep -q 'SUBSYSTEM=="imx_sdp", KERNEL=="imx-sdp\[0-9\]\*"' "$rules" &&
   grep -q 'ID_USB_INTERFACES}=="\*:ff4203:\*"' "$rules" &&
   [ "$(grep -v '^#' "$rules" | grep -c 'MODE="0660", GROUP="plugdev", TAG+="uaccess"')" -eq 4 ]; then
	ok "udev rules: /dev/imx-sdp*, the driver's $n_ids ROM IDs, fastboot interfaces; plugdev + uaccess"
else
	indent "bad syntax: " <<<"$syntax"
	diff <(echo "$rule_ids") <(echo "$ids" | sort) | sed 's/^/#   /'
	not_ok "udev rules"
fi

# --- tools ------------------------------------------------------------------------
bad=
while read -r t; do
	v=$("$t" --version 2>&1) || bad="$bad ${t##*/}"
	case $v in "${t##*/} "*) ;; *) bad="$bad ${t##*/}('$v')" ;; esac
done < <(grep -E '/s?bin/' "$out/list")
if [ -z "$bad" ]; then
	ok "installed tools run (--version)"
else
	not_ok "installed tools:$bad"
fi

# PREFIX=/usr: the places a distribution uses
make -s install-list PREFIX=/usr >"$out/list-usr" 2>&1
if grep -qx /usr/bin/imx-sdp "$out/list-usr" &&
   grep -qx /usr/sbin/fastboot-target "$out/list-usr" &&
   grep -qx /usr/share/man/man8/fastboot-target.8 "$out/list-usr" &&
   grep -qx /lib/udev/rules.d/70-imxflash.rules "$out/list-usr" &&
   grep -qx "/lib/modules/$kver/updates/hid-imx-sdp.ko" "$out/list-usr"; then
	ok "PREFIX=/usr: /usr/bin, /usr/sbin, /usr/share/man, /lib/udev/rules.d"
else
	show_log "$out/list-usr"
	not_ok "PREFIX=/usr paths"
fi

# --- uninstall ------------------------------------------------------------------------
# another module of the same kernel stays, and so do depmod's indexes
other=$dest/lib/modules/$kver/kernel/other
mkdir -p "$other"
cp "$mods/usb_f_sdp.ko" "$other/imxf_other.ko"
depmod -b "$dest" "$kver" 2>/dev/null
if make uninstall DESTDIR="$dest" >"$out/uninstall1.log" 2>&1 &&
   [ -f "$other/imxf_other.ko" ] &&
   grep -q '^kernel/other/imxf_other.ko:' "$dest/lib/modules/$kver/modules.dep" &&
   ! grep -q '^updates/' "$dest/lib/modules/$kver/modules.dep" &&
   [ ! -e "$mods" ]; then
	ok "uninstall beside another module: ours gone, modules.dep rebuilt, the other kept"
else
	show_log "$out/uninstall1.log"
	not_ok "uninstall beside another module"
fi

rm -rf "$dest/lib/modules/$kver/kernel"
make install DESTDIR="$dest" >"$out/install2.log" 2>&1
if make uninstall DESTDIR="$dest" >"$out/uninstall.log" 2>&1 &&
   [ -d "$dest" ] && [ -z "$(find "$dest" -mindepth 1 -print -quit)" ]; then
	ok "make uninstall DESTDIR=...: the DESTDIR is empty again"
else
	find "$dest" -mindepth 1 | head | sed 's/^/#   left: /'
	not_ok "make uninstall DESTDIR=... left files"
fi
if make -s uninstall DESTDIR="$dest" >"$out/uninstall2.log" 2>&1; then
	ok "make uninstall again: nothing to do, no error"
else
	show_log "$out/uninstall2.log"
	not_ok "make uninstall again"
fi

done_tap
