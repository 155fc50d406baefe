#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# imxf-insmod MODULE.ko [PARAM=VALUE...]   (in the VM: /bin/imxf-insmod)
#
# insmod an out-of-tree module after loading what it depends on: each name
# in its modinfo "depends" is insmod'ed from the same directory if a .ko of
# that name is there (recursively), else modprobe'd from the Debian tree.
# Modules already loaded are skipped; exit status is insmod's.
if [ $# -eq 0 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
	echo "usage: imxf-insmod MODULE.ko [PARAM=VALUE...]" >&2
	exit 2
fi
ko=$1
shift
[ -f "$ko" ] || { echo "imxf-insmod: $ko: no such file" >&2; exit 1; }
dir=$(dirname "$ko")

loaded() { [ -d "/sys/module/$(echo "$1" | tr - _)" ]; }

deps=$(modinfo -F depends "$ko" 2>/dev/null | tr ',' ' ')
for d in $deps; do
	loaded "$d" && continue
	if [ -f "$dir/$d.ko" ]; then
		"$0" "$dir/$d.ko" || exit
	elif [ -f "$dir/$(echo "$d" | tr _ -).ko" ]; then
		"$0" "$dir/$(echo "$d" | tr _ -).ko" || exit
	else
		modprobe "$d" || { echo "imxf-insmod: cannot load $d (needed by $ko)" >&2; exit 1; }
	fi
done
name=$(basename "$ko" .ko)
loaded "$name" && { echo "imxf-insmod: $name already loaded" >&2; exit 0; }
exec insmod "$ko" "$@"
