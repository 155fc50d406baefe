#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# apt-download.sh ARCH candidate PKG      print apt's candidate version of PKG
# apt-download.sh ARCH depends PKG[=VER]  print PKG's Depends: line
# apt-download.sh ARCH get PKG=VER...     download, print the .deb paths
#
# Fetch Debian packages of any architecture as .deb files, never installing
# them. For the host's architecture this is plain `apt-get download`. For a
# foreign one (armhf, arm64) apt runs with a private state under
# build/apt/ARCH (its own package lists and an empty dpkg status), so the
# host's dpkg is not told about the architecture and cannot be asked to
# install anything of it: installing linux-headers-*-armmp:armhf pulls
# gcc-12:armhf, which makes apt remove the host's compilers.
#
# The .deb files are kept in the machine-wide $IMXF_CACHE/debs
# (/var/cache/imxflash/debs, shared by fresh clones; IMXF_DEB_CACHE moves
# it, build/cache/debs if it cannot be created) and reused offline when
# the wanted version is there.
set -eu

die() { echo "apt-download.sh: $*" >&2; exit 1; }

[ $# -ge 3 ] || die "usage: apt-download.sh ARCH candidate|depends|get PKG..."
arch=$1 cmd=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd -P)
proj=$(cd "$here/../.." && pwd -P)
cache=${IMXF_DEB_CACHE:-${IMXF_CACHE:-/var/cache/imxflash}/debs}
mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$proj/build/cache/debs
host=$(dpkg --print-architecture)

apt_opts=""
if [ "$arch" != "$host" ]; then
	st=$proj/build/apt/$arch
	apt_opts="-o Dir::State::Lists=$st/lists -o Dir::State::Status=$st/status
		-o Dir::Cache=$st/cache -o APT::Architecture=$arch
		-o APT::Architectures::=$arch -o Acquire::Languages=none"
	if [ ! -f "$st/lists/.updated" ]; then
		mkdir -p "$st/lists/partial" "$st/cache/archives/partial"
		: >"$st/status"
		echo "apt-download.sh: apt-get update for $arch (private lists in ${st#"$proj"/})" >&2
		# shellcheck disable=SC2086
		apt-get -q $apt_opts update >&2 || die "apt-get update for $arch failed"
		touch "$st/lists/.updated"
	fi
fi

# shellcheck disable=SC2086
case $cmd in
candidate)
	apt-cache $apt_opts policy "$1" 2>/dev/null |
		sed -n 's/^  Candidate: //p' | grep -v '^(none)$' ||
		die "no candidate for $1 ($arch)"
	;;
depends)
	pkg=${1%%=*} ver=
	case $1 in *=*) ver=${1#*=} ;; esac
	apt-cache $apt_opts show "$1" 2>/dev/null |
		awk -v v="$ver" '/^Version: / { cur = $2 }
			/^Depends: / && (v == "" || cur == v) { sub(/^Depends: /, ""); print; exit }' |
		grep . || die "no Depends for $pkg${ver:+ $ver} ($arch)"
	;;
get)
	mkdir -p "$cache"
	for pv in "$@"; do
		case $pv in *=*) ;; *) die "get wants PKG=VERSION, not $pv" ;; esac
		p=${pv%%=*} v=${pv#*=}
		# .deb names have no epoch; arch "all" packages keep their own
		found=
		for a in "$arch" all; do
			f=$cache/${p}_$(echo "$v" | sed 's/^[0-9]*://')_$a.deb
			[ -s "$f" ] && { found=$f; break; }
		done
		if [ -z "$found" ]; then
			echo "apt-download.sh: downloading $p=$v ($arch)" >&2
			tmp=$(mktemp -d "$cache/.dl.XXXXXX")
			# apt drops privileges to _apt for the download
			chmod 0777 "$tmp"
			(cd "$tmp" && apt-get -q $apt_opts download "$p:$arch=$v" >&2) || {
				rm -rf "$tmp"
				# the private lists may name what the mirror dropped:
				# the next call updates them
				[ -z "$apt_opts" ] || rm -f "$st/lists/.updated"
				die "apt-get download $p:$arch=$v failed"
			}
			deb=$(find "$tmp" -name '*.deb' | head -n1)
			[ -s "$deb" ] || { rm -rf "$tmp"; die "no .deb for $p=$v"; }
			found=$cache/${deb##*/}
			mv "$deb" "$found"
			rm -rf "$tmp"
		fi
		echo "$found"
	done
	;;
*)
	die "unknown command $cmd"
	;;
esac
