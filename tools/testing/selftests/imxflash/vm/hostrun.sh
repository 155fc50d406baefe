#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# hostrun PROG [ARGS...]   (inside the imxflash test VM, installed as /bin/hostrun)
#
# Run a program of the host's Debian system (e.g. imx_usb, uuu, fastboot,
# lsusb, bash, python3) with its own libraries: chroot into /hv, the host
# root (read-only, over 9p) with the guest's /dev /proc /sys /tmp /run and
# /out, and /host itself, mounted at the same paths.  The current directory
# is kept if it exists there (anything under /tmp, /out, /host or a host
# path), else it is /.  The exit status is the program's.
if [ $# -eq 0 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
	echo "usage: hostrun PROG [ARGS...]" >&2
	exit 2
fi
[ -d /hv/usr ] || { echo "hostrun: /hv is not set up" >&2; exit 2; }
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
# shellcheck disable=SC2016
exec chroot /hv /bin/sh -c 'cd "$0" 2>/dev/null || cd /; exec "$@"' "$(pwd)" "$@"
