#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Board simulator for the factory flow (sourced after lib.sh, busybox sh):
# N emulated i.MX boards on dummy_hcd (one UDC each: modprobe dummy_hcd
# num=N). A board starts as its boot ROM in serial download mode
# (usb_f_sdp). When its JUMP succeeds it "boots U-Boot": the watcher
# re-binds the same gadget, on the same UDC and so on the same host port
# path, as usb_f_fastboot whose storage is a sparse file playing the eMMC,
# with the partitions of SIM_LAYOUT - what U-Boot built with
# CONFIG_BOOTCOMMAND "fastboot usb 0" does. After "fastboot reboot" the
# board leaves the bus and is powered off (it would now boot from eMMC).
#
#   sim_modules N                  stacks, hid-imx-sdp, usb_f_fastboot
#   sim_plug NAME UDC [SOC] [OPT=VAL...]   a board in serial download mode
#       hab=closed           the ROM refuses the unsigned image at JUMP
#       mem_limit=SIZE       ROM memory (64K: the image upload is refused)
#       rootfs_size=BYTES    a smaller rootfs partition (a flash fails)
#       unplug_after=BYTES   pull the cable once fastboot has received
#                            that many download bytes
#       fastboot=0           the "bootloader" never shows up on USB
#       boot_delay_ms=MS     ROM's JUMP-to-disconnect delay (default 100)
#       uid=16HEXDIGITS      the SoC's unique ID (default: usb_f_sdp's)
#   sim_watch_start / sim_watch_stop   the watcher (background loop)
#   sim_state NAME           sdp | booting | fastboot | booted (fastboot=0)
#                            | rebooted | unplugged | off
#   sim_wait_state NAME STATE [SECONDS]
#   sim_port NAME            host USB port path of the board ("3-1")
#   sim_udc_port UDC         the same for a UDC (dummy_udc.N)
#   sim_emmc NAME            path of the eMMC image
#   sim_unplug NAME, sim_destroy NAME, sim_destroy_all
#   sim_sfdisk_script        the MBR layout as an sfdisk script
#   sim_check_* NAME ...     proofs on the eMMC image (see below)
#
# State lives in $SIM/<name>/: udc, soc, opts, emmc.img, state (written
# last, by rename, so the watcher never sees a half-made board).

SIM=${SIM:-/tmp/sim}
SIM_EMMC_MB=${SIM_EMMC_MB:-512}
SIM_MAXDL=${SIM_MAXDL:-0x2000000}	# 32 MiB: big images go in pieces
SIM_POLL_US=${SIM_POLL_US:-50000}

# eMMC layout, as on i.MX6 U-Boot boards: MBR, u-boot.imx at 1 KiB (the
# ROM's eMMC offset), the environment at 4 MiB (CONFIG_ENV_OFFSET), an
# Android-style misc area, then two MBR partitions.
SIM_UBOOT_OFF=$((0x400))
SIM_ENV_OFF=$((0x400000))
SIM_ENV_SIZE=$((0x2000))
SIM_MISC_OFF=$((0x500000))
SIM_MISC_SIZE=$((0x100000))
SIM_BOOT_OFF=$((8 << 20))
SIM_BOOT_SIZE=$((32 << 20))
SIM_ROOT_OFF=$((40 << 20))
SIM_ROOT_SIZE=$(((SIM_EMMC_MB << 20) - SIM_ROOT_OFF))

# fastboot identity of the "U-Boot" (i.MX defconfigs: 0525:a4a5, "FSL")
SIM_FB_VID=0x0525
SIM_FB_PID=0xa4a5

sim_modules() {
	imxf_modules "${1:-4}" || return
	[ -d /sys/module/hid_imx_sdp ] ||
		imxf-insmod "$IMXF_MODDIR/hid-imx-sdp.ko" || return
	[ -d /sys/module/usb_f_fastboot ] ||
		imxf-insmod "$IMXF_MODDIR/usb_f_fastboot.ko"
}

sim_sfdisk_script() {
	echo "label: dos"
	echo "label-id: 0x494d5846"
	echo "start=$((SIM_BOOT_OFF / 512)), size=$((SIM_BOOT_SIZE / 512)), type=c"
	echo "start=$((SIM_ROOT_OFF / 512)), size=$((SIM_ROOT_SIZE / 512)), type=83"
}

_sim_opt() { sed -n "s/^$2=//p" "$SIM/$1/opts" 2>/dev/null | tail -n 1; }
_sim_set_state() { echo "$2" > "$SIM/$1/state.new" && mv "$SIM/$1/state.new" "$SIM/$1/state"; }
sim_state() { cat "$SIM/$1/state" 2>/dev/null || echo none; }
sim_emmc() { echo "$SIM/$1/emmc.img"; }

# A used board's eMMC: the old environment, misc and parts of the old
# rootfs hold data, so the checks prove that the flash really wrote
# (zeros included). One 1 MiB pattern, copied with dd: cheap under TCG.
_sim_dirty() {
	local _e=$1 _p=$SIM/.pattern _o
	[ -s "$_p" ] || yes "imxsim old data" | head -c $((1 << 20)) > "$_p"
	for _o in $SIM_ENV_OFF $SIM_MISC_OFF $SIM_ROOT_OFF \
		  $((SIM_ROOT_OFF + (16 << 20))) $((SIM_ROOT_OFF + (48 << 20))); do
		dd if="$_p" of="$_e" bs=65536 seek=$((_o / 65536)) conv=notrunc \
			2>/dev/null || return
	done
}

# sim_plug NAME UDC [SOC] [OPT=VAL...]
sim_plug() {
	local _n=$1 _u=$2 _s=${3:-imx6ull} _hab=open _a _extra=""
	shift 2
	[ $# -gt 0 ] && shift
	sim_destroy "$_n"
	mkdir -p "$SIM/$_n" || return
	: > "$SIM/$_n/opts"
	for _a in "$@"; do
		echo "$_a" >> "$SIM/$_n/opts"
		case $_a in
		hab=*) _hab=${_a#hab=} ;;
		mem_limit=*|boot_delay_ms=*|uid=*) _extra="$_extra $_a" ;;
		rootfs_size=*|unplug_after=*|fastboot=*) ;;
		*) echo "sim_plug: unknown option $_a" >&2; return 1 ;;
		esac
	done
	echo "$_u" > "$SIM/$_n/udc"
	echo "$_s" > "$SIM/$_n/soc"
	if [ ! -f "$SIM/$_n/emmc.img" ]; then
		truncate -s "${SIM_EMMC_MB}M" "$SIM/$_n/emmc.img" || return
		_sim_dirty "$SIM/$_n/emmc.img"
	fi
	# shellcheck disable=SC2086
	board_setup "$_n" "$_s" "$_u" "$_hab" mem_limit=64M $_extra || return
	# the "U-Boot" function is made now (unlinked), so that the switch
	# after the JUMP is quick
	if [ -d /sys/module/usb_f_fastboot ]; then
		_sim_fastboot_fn "$_n" || return
	fi
	_sim_set_state "$_n" sdp
}

# The U-Boot side: same gadget, same UDC, now a fastboot function.
_sim_fastboot_fn() {
	local _n=$1 _f=$CFS/$1/functions/fastboot.$1 _e _rs
	_e=$(sim_emmc "$_n")
	_rs=$(_sim_opt "$_n" rootfs_size)
	[ -n "$_rs" ] || _rs=$SIM_ROOT_SIZE
	[ -d "$_f" ] && return 0
	mkdir -p "$_f" || return
	echo "$_e" > "$_f/storage" || return
	echo "$SIM_MAXDL" > "$_f/max_download_size" || return
	echo "$(cat "$SIM/$_n/soc") (imxflash board simulator)" > "$_f/product"
	echo "U-Boot 2024.04-imxsim" > "$_f/version_bootloader"
	# name offset size type
	set -- env $SIM_ENV_OFF $SIM_ENV_SIZE raw \
		misc $SIM_MISC_OFF $SIM_MISC_SIZE raw \
		boot $SIM_BOOT_OFF $SIM_BOOT_SIZE vfat \
		rootfs $SIM_ROOT_OFF "$_rs" ext4
	while [ $# -ge 4 ]; do
		mkdir -p "$_f/partitions/$1" || return
		echo "$_e" > "$_f/partitions/$1/path" || return
		echo "$2" > "$_f/partitions/$1/offset" || return
		echo "$3" > "$_f/partitions/$1/size" || return
		echo "$4" > "$_f/partitions/$1/type" || return
		shift 4
	done
}

sim_to_fastboot() {
	local _n=$1 _g=$CFS/$1
	echo "" > "$_g/UDC" 2>/dev/null
	rm -f "$_g/configs/c.1/sdp.$_n"
	_sim_fastboot_fn "$_n" || { _sim_set_state "$_n" off; return 1; }
	echo $SIM_FB_VID > "$_g/idVendor"
	echo $SIM_FB_PID > "$_g/idProduct"
	echo 0x0100 > "$_g/bcdDevice"
	echo "FSL" > "$_g/strings/0x409/manufacturer"
	echo "USB download gadget" > "$_g/strings/0x409/product"
	echo "IMXSIM-$_n" > "$_g/strings/0x409/serialnumber"
	ln -s "$_g/functions/fastboot.$_n" "$_g/configs/c.1/" || return
	cat "$SIM/$_n/udc" > "$_g/UDC" || return
	_sim_set_state "$_n" fastboot
}

sim_unplug() {
	echo "" > "$CFS/$1/UDC" 2>/dev/null
	_sim_set_state "$1" unplugged
}

# The fastboot function's download counter ("stats": download_bytes N).
_sim_dl_bytes() {
	sed -n 's/^download_bytes[ :=]*//p' \
		"$CFS/$1/functions/fastboot.$1/stats" 2>/dev/null
}

# One pass over the boards; the watcher calls it every SIM_POLL_US.
sim_watch_once() {
	local _d _n _st _lim _b
	for _d in "$SIM"/*/; do
		_n=$(basename "$_d")
		[ -f "$_d/state" ] || continue
		_st=$(cat "$_d/state")
		case $_st in
		sdp)
			[ "$(cat "$CFS/$_n/functions/sdp.$_n/state" 2>/dev/null)" = booted ] || continue
			if [ "$(_sim_opt "$_n" fastboot)" = 0 ]; then
				_sim_set_state "$_n" booted
			else
				# boards boot in parallel, as real ones do
				_sim_set_state "$_n" booting
				sim_to_fastboot "$_n" &
			fi
			;;
		fastboot)
			_lim=$(_sim_opt "$_n" unplug_after)
			if [ -n "$_lim" ]; then
				_b=$(_sim_dl_bytes "$_n")
				[ "${_b:-0}" -ge "$_lim" ] && sim_unplug "$_n"
			fi
			# reboot: the function left the bus; the board now
			# boots from its eMMC, which this simulator does not do
			if [ "$(cat "$CFS/$_n/functions/fastboot.$_n/state" 2>/dev/null)" = detached ]; then
				echo "" > "$CFS/$_n/UDC" 2>/dev/null
				_sim_set_state "$_n" rebooted
			fi
			;;
		esac
	done
}

sim_watch_start() {
	sim_watch_stop
	mkdir -p "$SIM"
	# its output goes to a file: a watcher holding the caller's stdout
	# would keep a $(...) around the caller waiting for ever
	(
		trap 'exit 0' TERM
		while :; do
			sim_watch_once
			usleep "$SIM_POLL_US"
		done
	) < /dev/null >> "$SIM/watch.log" 2>&1 &
	SIM_WATCH_PID=$!
	echo "$SIM_WATCH_PID" > "$SIM/.watch.pid"
}

sim_watch_stop() {
	local _p
	_p=$(cat "$SIM/.watch.pid" 2>/dev/null)
	[ -n "$_p" ] || return 0
	kill "$_p" 2>/dev/null
	wait "$_p" 2>/dev/null
	rm -f "$SIM/.watch.pid"
	SIM_WATCH_PID=
}

# sim_wait_state NAME STATE [SECONDS]
sim_wait_state() {
	local _i=0
	while [ "$_i" -lt "$((${3:-10} * 20))" ]; do
		[ "$(sim_state "$1")" = "$2" ] && return 0
		usleep 50000
		_i=$((_i + 1))
	done
	echo "# $1: state is '$(sim_state "$1")', wanted '$2'" >&2
	return 1
}

# Host port path of the board: the root hub port of its dummy_hcd.
sim_port() {
	local _u
	_u=$(cat "$SIM/$1/udc") || return
	sim_udc_port "$_u"
}

# sim_udc_port UDC: the port path a board on UDC (dummy_udc.N) has.
sim_udc_port() {
	local _i=${1##*.} _d
	for _d in /sys/devices/platform/dummy_hcd."$_i"/usb*/*-1; do
		[ -d "$_d" ] && { basename "$_d"; return 0; }
	done
	# not enumerated (yet): the root hub's number gives the path anyway
	for _d in /sys/devices/platform/dummy_hcd."$_i"/usb*; do
		[ -d "$_d" ] && { echo "${_d##*/usb}-1"; return 0; }
	done
	return 1
}

sim_destroy() {
	local _n=$1 _g=$CFS/$1
	if [ -d "$_g" ]; then
		echo "" > "$_g/UDC" 2>/dev/null
		rm -f "$_g/configs/c.1/sdp.$_n" "$_g/configs/c.1/fastboot.$_n"
		if [ -d "$_g/functions/fastboot.$_n" ]; then
			rmdir "$_g"/functions/fastboot."$_n"/partitions/* 2>/dev/null
			rmdir "$_g/functions/fastboot.$_n"
		fi
		[ -d "$_g/functions/sdp.$_n" ] && rmdir "$_g/functions/sdp.$_n"
		rmdir "$_g/configs/c.1" "$_g/strings/0x409" "$_g" 2>/dev/null
	fi
	[ -d "$SIM/$_n" ] && _sim_set_state "$_n" off
	return 0
}

# Boards and their eMMC images go; the watcher is stopped.
sim_destroy_all() {
	local _d
	sim_watch_stop
	for _d in "$SIM"/*/; do
		[ -d "$_d" ] || continue
		sim_destroy "$(basename "$_d")"
		rm -rf "$_d"
	done
}

# --- proofs on a board's eMMC image ---------------------------------------
# Each prints "# ..." details on failure and returns non-zero.

# sim_check_mbr NAME: the MBR parses (sfdisk) and is SIM_LAYOUT's.
sim_check_mbr() {
	local _got _want
	_got=$(hostrun sfdisk -d "$(sim_emmc "$1")" 2>&1 |
		sed -n 's/.*: *start= *\([0-9]*\), *size= *\([0-9]*\), *type= *\([0-9a-f]*\).*/\1 \2 \3/p')
	_want=$(printf '%s %s c\n%s %s 83' $((SIM_BOOT_OFF / 512)) \
		$((SIM_BOOT_SIZE / 512)) $((SIM_ROOT_OFF / 512)) \
		$((SIM_ROOT_SIZE / 512)))
	[ "$_got" = "$_want" ] && return 0
	echo "# $1: MBR partitions '$_got', wanted '$_want'" >&2
	return 1
}

# Byte comparisons use the host's GNU cmp (busybox cmp goes byte by byte:
# ~10 s for 64 MiB under TCG), straight on the eMMC image at an offset.

# sim_check_at NAME OFFSET FILE: FILE's bytes at OFFSET of the eMMC.
sim_check_at() {
	hostrun cmp -n "$(stat -c %s "$3")" "$3" "$(sim_emmc "$1")" 0 "$2" >&2 &&
		return 0
	echo "# $1: eMMC at $2 differs from $3" >&2
	return 1
}

# sim_check_zero NAME OFFSET SIZE
sim_check_zero() {
	hostrun cmp -n "$3" /dev/zero "$(sim_emmc "$1")" 0 "$2" >&2 && return 0
	echo "# $1: eMMC $2 + $3 is not all zero" >&2
	return 1
}

# sim_check_ext4 NAME IMAGE TREE: the rootfs partition holds IMAGE, passes
# e2fsck -n and has TREE's files (dumped with debugfs, compared). The
# e2fsprogs tools read the partition in place ("file?offset=N").
sim_check_ext4() {
	local _r=0 _fs _t=$SIM/$1/check
	_fs="$(sim_emmc "$1")?offset=$SIM_ROOT_OFF"
	sim_check_at "$1" $SIM_ROOT_OFF "$2" || _r=1
	rm -rf "$_t" && mkdir -p "$_t/tree"
	hostrun e2fsck -n -f "$_fs" > "$_t/fsck" 2>&1 ||
		{ sed 's/^/# e2fsck: /' "$_t/fsck" >&2; _r=1; }
	hostrun debugfs -R "rdump / $_t/tree" "$_fs" > /dev/null 2>&1
	rmdir "$_t/tree/lost+found" 2>/dev/null
	diff -r "$3" "$_t/tree" >&2 ||
		{ echo "# $1: rootfs files differ from $3" >&2; _r=1; }
	rm -rf "$_t"
	return $_r
}

# --- images ----------------------------------------------------------------

# sim_make_images DIR [SOC]: what a Buildroot output/images would hold for
# these boards: u-boot.imx (mkimx: IVT, DCD, boot data), mbr.img (sfdisk,
# SIM_LAYOUT), zero.bin (a wiped U-Boot environment), rootfs.ext4
# (mkfs.ext4 -d of DIR/rootfs/, which stays for the checks), and
# flash.manifest, the whole flow for imx-factory.
sim_make_images() {
	local _d=$1 _s=${2:-imx6ull}
	rm -rf "$_d" && mkdir -p "$_d/rootfs/etc" "$_d/rootfs/bin" \
		"$_d/rootfs/usr/share/imxsim" || return
	"$BIN/tools/mkimx" --soc "$_s" --size 512K --seed 7 -o "$_d/u-boot.imx" \
		--manifest "$_d/u-boot.txt" > /dev/null || return
	truncate -s "${SIM_EMMC_MB}M" "$_d/disk.img" || return
	sim_sfdisk_script | hostrun sfdisk -q "$_d/disk.img" > /dev/null || return
	dd if="$_d/disk.img" of="$_d/mbr.img" bs=512 count=1 2>/dev/null
	rm -f "$_d/disk.img"
	head -c "$SIM_ENV_SIZE" /dev/zero > "$_d/zero.bin"
	echo "imxsim" > "$_d/rootfs/etc/hostname"
	printf 'NAME="imxflash demo rootfs"\nID=imxsim\n' > "$_d/rootfs/etc/os-release"
	cp /bin/busybox "$_d/rootfs/bin/busybox"
	head -c $((6 << 20)) /dev/urandom > "$_d/rootfs/usr/share/imxsim/payload.bin"
	hostrun mkfs.ext4 -q -F -L rootfs -E root_owner=0:0 -d "$_d/rootfs" \
		"$_d/rootfs.ext4" 64M > /dev/null || return
	cat > "$_d/flash.manifest" <<EOF
# imxflash board simulator: the whole factory flow
sdp boot u-boot.imx
fastboot flash mbr mbr.img
fastboot flash 0x400 u-boot.imx
fastboot flash env zero.bin
fastboot flash rootfs rootfs.ext4
fastboot erase misc
fastboot reboot
EOF
}

# sim_check_board NAME IMAGES: every proof of a flashed board; prints one
# line per check ("ok"/"FAILED") and returns non-zero if one failed.
# Boards can be checked in parallel (each uses its own scratch dir).
sim_check_board() {
	local _n=$1 _d=$2 _r=0
	_sim_chk() {
		local _what=$1
		shift
		if "$@"; then echo "    $_n: $_what: ok"; else echo "    $_n: $_what: FAILED"; _r=1; fi
	}
	_sim_chk "MBR parses (sfdisk), partitions as laid out" sim_check_mbr "$_n"
	_sim_chk "u-boot.imx at 0x400" sim_check_at "$_n" $SIM_UBOOT_OFF "$_d/u-boot.imx"
	_sim_chk "environment zeroed" sim_check_zero "$_n" $SIM_ENV_OFF $SIM_ENV_SIZE
	_sim_chk "misc erased" sim_check_zero "$_n" $SIM_MISC_OFF $SIM_MISC_SIZE
	_sim_chk "rootfs: same bytes, e2fsck -n clean, files as built" \
		sim_check_ext4 "$_n" "$_d/rootfs.ext4" "$_d/rootfs"
	return $_r
}
