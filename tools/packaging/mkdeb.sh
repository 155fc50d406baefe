#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# mkdeb.sh: build the Debian packages imxflash-dkms and imxflash-tools
# into build/deb/ with Debian's own tooling (dpkg-buildpackage, debhelper,
# dh-dkms), then run lintian on them.
#
# The project's top level is laid out for kbuild, not for Debian, so the
# source package is assembled in build/deb/imxflash-VERSION/: the files
# git knows (tracked, or new and not ignored) of the directories the
# packages are built from, and tools/packaging/debian/ as debian/.
#
# Exit status: 0 when the packages are built and lintian reports no error
# (warnings and informational tags are printed, not fatal).
set -eu

die() { echo "mkdeb.sh: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd -P)
top=$(cd "$here/../.." && pwd -P)
out=$top/build/deb
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$top/dkms.conf")
chver=$(sed -n '1s/^imxflash (\([^)]*\)).*/\1/p' "$here/debian/changelog")
[ "$ver" = "$chver" ] ||
	die "dkms.conf says version $ver, debian/changelog $chver: make them agree"
src=$out/imxflash-$ver

for t in dpkg-buildpackage dh dh_dkms lintian; do
	command -v $t >/dev/null || die "$t not found (make deps)"
done

rm -rf "$out"
mkdir -p "$src"
# shellcheck disable=SC2016 # $f is the inner shell's
(cd "$top" && git ls-files -z -c -o --exclude-standard -- \
	Kbuild drivers lib include userspace Documentation dkms.conf \
	tools/packaging/udev README.md |
	xargs -0 -r sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
	tar --null -T - -cf -) | tar -xf - -C "$src"
cp -a "$here/debian" "$src/debian"

echo "mkdeb.sh: dpkg-buildpackage in ${src#"$top"/} (log: build/deb/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "dpkg-buildpackage failed"
fi
ls "$out"/*.deb

echo "mkdeb.sh: lintian (log: build/deb/lintian.log)"
changes=$(ls "$out"/imxflash_"$ver"_*.changes)
rc=0
lintian --fail-on error --display-info "$changes" >"$out/lintian.log" 2>&1 || rc=$?
cat "$out/lintian.log"
[ $rc -eq 0 ] || die "lintian reports errors (exit $rc)"
echo "mkdeb.sh: lintian: $(grep -c '^E: ' "$out/lintian.log") errors," \
	"$(grep -c '^W: ' "$out/lintian.log") warnings," \
	"$(grep -c '^I: ' "$out/lintian.log") info"
