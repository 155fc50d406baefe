#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Install the Debian 12 packages imxflash needs to build, test and run
# its demo. Idempotent: only missing packages are installed, and nothing
# is done (not even "apt-get update") when all are present.
set -eu

PKGS="build-essential gcc make bc flex bison libelf-dev xz-utils cpio kmod
 musl-tools
 qemu-system-x86 busybox-static
 linux-headers-amd64 linux-source-6.1
 sparse dwarves clang libclang-rt-14-dev
 libnl-3-dev libnl-genl-3-dev
 fastboot uuu imx-usb-loader usbutils
 android-sdk-libsparse-utils e2fsprogs fdisk dosfstools"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	     grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

# Second target kernel: headers of a 6.12 Debian kernel (bookworm backports
# through the main archive). Any installed 6.12 headers will do.
if ! ls -d /usr/src/linux-headers-6.12.*-amd64 >/dev/null 2>&1; then
	missing="$missing linux-headers-6.12-amd64"
fi

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
