#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages imxflash needs to build, test and run
# its demo. Idempotent: only missing packages are installed, and nothing
# is done (not even "apt-get update") when all are present.
#
# Kernel headers other than the host's own 6.1 ones are not installed:
# Debian's 6.12 headers package depends on the 6.12 kernel image (it
# would put a new kernel into /boot and repoint /vmlinuz), and the armhf
# and arm64 ones depend on compilers of those architectures (apt would
# remove the host's). tools/packaging/kheaders.sh fetches them with
# apt-get download and unpacks them into build/kheaders/ instead.
set -eu

PKGS="build-essential gcc make bc flex bison libelf-dev xz-utils cpio kmod
 musl-tools
 qemu-system-x86 busybox-static qemu-system-arm device-tree-compiler
 linux-headers-amd64 linux-source-6.1
 sparse dwarves clang libclang-rt-14-dev
 libnl-3-dev libnl-genl-3-dev
 fastboot uuu imx-usb-loader usbutils
 android-sdk-libsparse-utils e2fsprogs fdisk dosfstools
 bmap-tools zstd bzip2
 gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
 gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
 dkms dh-dkms debhelper dpkg-dev fakeroot lintian pkgconf"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
updated=0
if [ -z "$missing" ]; then
	echo "deps: all packages present"
else
	echo "deps: installing:$missing"
	$SUDO apt-get update -qq
	updated=1
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# Headers fetched, not installed: the second target kernel (6.12, headers
# installed in /usr/src are used as they are) and Debian's 6.1 kernels for
# the i.MX6 (armmp) and arm64. A failed download is retried once after
# "apt-get update" (the index may name versions the mirror has dropped).
here=$(cd "$(dirname "$0")" && pwd -P)
for sa in "6.12 amd64" "6.1 armhf" "6.1 arm64"; do
	# shellcheck disable=SC2086
	set -- $sa
	"$here/packaging/kheaders.sh" --no-fetch "$1" "$2" >/dev/null && continue
	if ! "$here/packaging/kheaders.sh" "$1" "$2" >/dev/null; then
		[ $updated -eq 0 ] || exit 1
		$SUDO apt-get update -qq
		updated=1
		"$here/packaging/kheaders.sh" "$1" "$2" >/dev/null
	fi
done
