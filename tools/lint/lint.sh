#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Static checks of the imxflash sources (make lint; also run by make check).
# Prints TAP 13 and exits non-zero if any check failed.
#
#   1  checkpatch --strict, tree mode (run from a kernel source tree)
#   2  checkpatch --strict --no-tree --ignore CAMELCASE
#   3  W=1 C=1 (sparse) module build against the Debian 6.1 headers
#   4  W=1 C=1 (sparse) module build against the Debian 6.12 headers
#   5  pahole: sizes and holes of the main structs (6.1 objects)
#   6  userspace build of lib/imxflash with gcc -Wall -Wextra -Werror
#   7  the same with clang
#   8  cppcheck of lib/imxflash, the userspace tools, the selftest and the
#      bench programs
#
# Nothing is written to the source tree: the kernel tree for checkpatch is
# extracted once into build/ksrc/ (stamp file), the module builds happen in
# scratch copies under build/lint/<KVER>/, objects under build/lint/user-*.
#
# Environment: KVER / KVER612 (kernel releases, default: the newest
# /usr/src/linux-headers-6.1.*-amd64 and 6.12.*-amd64; never uname -r),
# KSRC_TAR (default /usr/src/linux-source-6.1.tar.xz), B (build dir),
# JOBS (parallel jobs, default nproc), LINT_DIAG_MAX (diagnostic lines
# shown per check, default 60).

set -u
set -o pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
B=${B:-$TOP/build}
SELFTESTS=tools/testing/selftests/imxflash	# relative to $TOP
LINT=$B/lint
KSRC_TAR=${KSRC_TAR:-/usr/src/linux-source-6.1.tar.xz}
KSRC_NAME=linux-source-6.1
KSRC_BASE=$B/ksrc
KSRC=$KSRC_BASE/$KSRC_NAME
KSRC_STAMP=$KSRC_BASE/.$KSRC_NAME.stamp
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
DIAG_MAX=${LINT_DIAG_MAX:-60}

# Kernel-style sources (checkpatch) and userspace cores.
KSTYLE_DIRS="drivers lib/imxflash include"
KMOD_DIRS="Kbuild drivers lib include"

# Structs reported by pahole; those in HOLEFREE must not have holes.
PAHOLE_STRUCTS="sdp_cmd sdp_rom sdp_log_entry sdp_mem f_sdp_opts f_sdp"
PAHOLE_HOLEFREE="sdp_cmd sdp_log_entry"

T0=$(date +%s.%N)
unset GIT_DIR	# checkpatch would look for git metadata there
export LC_ALL=C	# plain ASCII quotes in compiler messages

# Per-run scratch directory for check results.
RES=$(mktemp -d "${TMPDIR:-/tmp}/imxflash-lint.XXXXXX") || {
	echo "Bail out! cannot create a temporary directory"
	exit 1
}
declare -A PID=()
trap 'rm -rf "$RES"' EXIT
trap 'stop_all; echo "Bail out! interrupted"; exit 130' INT TERM

# kver_of 6.1. -> newest matching Debian amd64 headers (as the top Makefile).
kver_of() {
	local d

	# installed, or unpacked by tools/packaging/kheaders.sh (6.12)
	for d in /usr/src/linux-headers-"$1"*-amd64 \
		 "$TOP"/build/kheaders/amd64/usr/src/linux-headers-"$1"*-amd64; do
		[ -d "$d" ] || continue
		case $d in *cloud* | *-rt-*) continue ;; esac
		echo "${d##*/linux-headers-}"
	done | sort -V | tail -n1
}

KVER61=${KVER:-$(kver_of 6.1.)}
KVER612=${KVER612:-$(kver_of 6.12.)}

# --- result plumbing --------------------------------------------------------
# Every check is a function that prints its diagnostics on stdout and
# returns 0 (ok), 77 (skip; first output line is the reason) or anything
# else (not ok). start N FUNC ARGS... runs it in the background;
# report N DESC waits for it and prints the TAP line and diagnostics.
NFAIL=0

start() {
	local n=$1
	shift
	# Each check in its own process group (set -m only while forking),
	# so that an interrupted run can stop a check with all its children.
	set -m
	("$@" >"$RES/$n.out" 2>&1; echo $? >"$RES/$n.rc") &
	PID[$n]=$!
	set +m
}

stop_all() {
	local p

	for p in "${PID[@]}"; do
		kill -TERM -- "-$p" 2>/dev/null
	done
}

report() {
	local n=$1 desc=$2 rc lines total
	wait "${PID[$n]}" 2>/dev/null
	rc=$(cat "$RES/$n.rc" 2>/dev/null || echo 1)
	if [ "$rc" = 77 ]; then
		echo "ok $n - $desc # SKIP $(head -n1 "$RES/$n.out")"
		return
	fi
	if [ "$rc" = 0 ]; then
		echo "ok $n - $desc"
	else
		echo "not ok $n - $desc"
		NFAIL=$((NFAIL + 1))
	fi
	total=$(wc -l <"$RES/$n.out")
	lines=$DIAG_MAX
	[ "$rc" = 0 ] && lines=$((DIAG_MAX * 2))
	head -n "$lines" "$RES/$n.out" | sed 's/^/# /'
	[ "$total" -gt "$lines" ] &&
		echo "# ... $((total - lines)) more lines in this check's output"
	return 0
}

# limit: print at most DIAG_MAX lines of stdin (used inside checks).
limit() {
	awk -v max="$DIAG_MAX" 'NR <= max { print } END {
		if (NR > max) printf "... %d more lines\n", NR - max }'
}

# --- 1, 2: checkpatch -------------------------------------------------------
# Only what checkpatch reads is extracted: scripts/ (checkpatch.pl,
# spelling.txt, const_structs.checkpatch), include/ (CamelCase names are
# seeded from the kernel headers in tree mode), Documentation/dev-tools/
# (checkpatch.rst, for --verbose) and the top-level files that
# checkpatch's top_of_kernel_tree() insists on; the remaining top-level
# directories it looks for are created empty.
ksrc_prepare() {
	local tmp sig

	if [ ! -r "$KSRC_TAR" ]; then
		echo "$KSRC_TAR not found: apt-get install $KSRC_NAME (or set KSRC_TAR)"
		return 1
	fi
	sig=$(stat -c '%n %s %Y' "$KSRC_TAR")
	if [ -f "$KSRC_STAMP" ] && [ "$(cat "$KSRC_STAMP")" = "$sig" ] &&
	   [ -x "$KSRC/scripts/checkpatch.pl" ]; then
		return 0
	fi
	mkdir -p "$KSRC_BASE" || return 1
	(
		# Serialise concurrent lint runs on the same build dir.
		flock 9 || exit 1
		if [ -f "$KSRC_STAMP" ] && [ "$(cat "$KSRC_STAMP")" = "$sig" ] &&
		   [ -x "$KSRC/scripts/checkpatch.pl" ]; then
			exit 0
		fi
		echo "extracting checkpatch and kernel headers from $KSRC_TAR into $KSRC (once)"
		rm -f "$KSRC_STAMP"
		tmp=$(mktemp -d "$KSRC_BASE/.extract.XXXXXX") || exit 1
		if ! tar -xJf "$KSRC_TAR" -C "$tmp" --wildcards \
			"$KSRC_NAME/scripts/*" \
			"$KSRC_NAME/include/*" \
			"$KSRC_NAME/Documentation/dev-tools/*" \
			"$KSRC_NAME/COPYING" "$KSRC_NAME/CREDITS" \
			"$KSRC_NAME/Kbuild" "$KSRC_NAME/MAINTAINERS" \
			"$KSRC_NAME/Makefile" "$KSRC_NAME/README"; then
			echo "tar failed on $KSRC_TAR"
			rm -rf "$tmp"
			exit 1
		fi
		(cd "$tmp/$KSRC_NAME" &&
		 mkdir -p arch drivers fs init ipc kernel lib) || exit 1
		# Seed checkpatch's CamelCase cache (a file in the tree root)
		# now, so that the parallel runs below only read it.
		printf '// SPDX-License-Identifier: GPL-2.0\nint seedCamelCase;\n' \
			>"$tmp/seed.c"
		(cd "$tmp/$KSRC_NAME" &&
		 ./scripts/checkpatch.pl --quiet --strict -f ../seed.c) \
			>/dev/null 2>&1
		rm -f "$tmp/seed.c"
		rm -rf "$KSRC"
		mv "$tmp/$KSRC_NAME" "$KSRC" && rmdir "$tmp" || exit 1
		echo "$sig" >"$KSRC_STAMP"
	) 9>"$KSRC_BASE/.lock"
}

# Files in kernel style: every .c/.h under drivers/, lib/imxflash/, include/.
kstyle_files() {
	local d

	for d in $KSTYLE_DIRS; do
		[ -d "$TOP/$d" ] && find "$TOP/$d" -type f -name '*.[ch]'
	done | sort
}

# checkpatch_run OPTIONS...: runs checkpatch from inside the extracted tree
# on every kernel-style file (in parallel chunks), then requires a
# "total: 0 errors, 0 warnings, 0 checks" line for each file.
checkpatch_run() {
	local out=$RES/cp.$BASHPID files nfiles bad

	[ -f "$KSRC_STAMP" ] || {
		echo "kernel tree for checkpatch not available (see above)"
		return 1
	}
	files=$(kstyle_files)
	[ -n "$files" ] || { echo "no .c/.h files found"; return 1; }
	nfiles=$(echo "$files" | wc -l)
	# --emacs --summary-file: "FILE:LINE: TYPE: msg" and "FILE total: ..."
	# for every file, clean or not.
	(cd "$KSRC" && echo "$files" |
		xargs -d '\n' -n 3 -P "$JOBS" ./scripts/checkpatch.pl \
			--strict --emacs --summary-file --no-color "$@" -f) \
		>"$out" 2>"$out.err"
	# Reports grouped by file, in file order (the chunks run in parallel);
	# a file without its summary line counts as a failure.
	echo "$files" >"$out.files"
	bad=$(awk '
		FNR == NR { order[++n] = $0; next }
		/^[^ ]+:[0-9]+: (ERROR|WARNING|CHECK):/ {
			f = $0; sub(/:[0-9]+: .*/, "", f)
			msg[f] = msg[f] $0 "\n"; next
		}
		/^[^ ]+ total: [0-9]+ errors, [0-9]+ warnings, [0-9]+ checks,/ {
			f = $1; seen[f] = 1
			if ($0 !~ / total: 0 errors, 0 warnings, 0 checks,/) {
				sub(/, [0-9]+ lines checked$/, "")
				msg[f] = msg[f] $0 "\n"
			}
		}
		END {
			for (i = 1; i <= n; i++) {
				f = order[i]
				if (!(f in seen))
					printf "%s: no checkpatch summary\n", f
				printf "%s", msg[f]
			}
		}
	' "$out.files" "$out")
	# --no-tree still tries to seed CamelCase names from "$root/include"
	# (with $root undefined) before the CAMELCASE report is dropped.
	grep -v -e 'uninitialized value [$]root' -e "find: .*/include.*No such file" \
		"$out.err" >>"$out.bad"
	if [ -s "$out.bad" ]; then
		echo "checkpatch stderr:"
		limit <"$out.bad"
		return 1
	fi
	if [ -n "$bad" ]; then
		echo "$bad" | sed "s|$TOP/||" | limit
		return 1
	fi
	echo "$nfiles files: total: 0 errors, 0 warnings, 0 checks"
	return 0
}

# Tree mode: CamelCase names defined in the kernel headers (bLength,
# wMaxPacketSize, ...) are known and not reported.
check_checkpatch_tree() {
	checkpatch_run
}

# --no-tree cannot see the kernel headers that define the USB descriptor
# field names (bLength, bDescriptorType, ...), so every use of them would be
# reported as CamelCase: CAMELCASE is ignored in this mode only.
check_checkpatch_notree() {
	checkpatch_run --no-tree --ignore CAMELCASE
}

# --- 3, 4: W=1 C=1 module builds --------------------------------------------
check_kbuild() {
	local kver=$1 kdir dst log rc d

	if [ -z "$kver" ]; then
		echo "no matching /usr/src/linux-headers-*-amd64 (run 'make deps')"
		return 1
	fi
	kdir=/usr/src/linux-headers-$kver
	[ -d "$kdir" ] || kdir=$TOP/build/kheaders/amd64/usr/src/linux-headers-$kver
	[ -d "$kdir" ] || { echo "$kdir: not found (run 'make deps')"; return 1; }
	command -v sparse >/dev/null || {
		echo "sparse not installed (apt-get install sparse)"
		return 1
	}
	dst=$LINT/$kver
	log=$LINT/$kver.log
	# A fresh copy: every object is rebuilt, so every warning shows.
	rm -rf "$dst" && mkdir -p "$dst" || return 1
	for d in $KMOD_DIRS; do
		[ -e "$TOP/$d" ] && cp -a "$TOP/$d" "$dst/"
	done
	find "$dst" -type f -exec touch {} +
	# kbuild unexports LC_ALL: LANG=C for ASCII quotes in messages.
	LANG=C make -C "$kdir" M="$dst" W=1 C=1 -j"$JOBS" modules >"$log" 2>&1
	rc=$?
	echo "make -C $kdir M=build/lint/$kver W=1 C=1 modules: exit $rc (log: ${log#"$TOP"/})"
	# Compiler, sparse and modpost diagnostics (modpost says "WARNING:").
	if grep -qiE 'warning:|error:' "$log"; then
		grep -iE 'warning:|error:' "$log" | sed "s|$dst/||" | limit
		return 1
	fi
	if [ "$rc" -ne 0 ]; then
		tail -n 20 "$log" | sed "s|$dst/||"
		return 1
	fi
	ls "$dst"/*.ko >/dev/null 2>&1 || { echo "no .ko produced"; return 1; }
	echo "$(grep -c '^  CHECK ' "$log") files checked by sparse, no warnings"
	return 0
}

# --- 5: pahole --------------------------------------------------------------
# uapi_structs: names of the structs defined under include/uapi/.
uapi_structs() {
	[ -d "$TOP/include/uapi" ] || return 0
	find "$TOP/include/uapi" -type f -name '*.h' -print0 |
		xargs -0 -r grep -hoE '^[[:space:]]*struct[[:space:]]+[A-Za-z_][A-Za-z0-9_]*[[:space:]]*\{' |
		sed -E 's/^[[:space:]]*struct[[:space:]]+//; s/[[:space:]]*\{$//' |
		sort -u
}

# pahole_find NAME OBJS...: pahole output for the first object that has it.
pahole_find() {
	local name=$1 o out
	shift

	for o in "$@"; do
		out=$(pahole -C "$name" "$o" 2>/dev/null)
		if [ -n "$out" ]; then
			echo "${o#"$LINT"/}"
			echo "$out"
			return 0
		fi
	done
	return 1
}

check_pahole() {
	local dst=$LINT/$KVER61 objs name out obj sum fail=0 strict probe
	local uapi hdr

	command -v pahole >/dev/null || {
		echo "pahole not installed (apt-get install dwarves)"
		return 1
	}
	if [ -z "$KVER61" ] || ! ls "$dst"/*.ko >/dev/null 2>&1; then
		echo "no 6.1 build to inspect (see check 3)"
		return 1
	fi
	# Per-file objects first, then the linked module objects.
	objs=$(find "$dst/drivers" "$dst/lib" -name '*.o' 2>/dev/null | sort
	       find "$dst" -maxdepth 1 -name '*.o' ! -name '*.mod.o' | sort)
	uapi=$(uapi_structs | tr '\n' ' ')
	# uapi structs may not appear in the module's DWARF (only used types
	# are emitted): a probe object instantiates each one.
	if [ -n "$uapi" ]; then
		probe=$LINT/uapi-probe
		mkdir -p "$probe"
		{
			find "$TOP/include/uapi" -type f -name '*.h' | sort |
				while read -r hdr; do echo "#include \"$hdr\""; done
			for name in $uapi; do
				echo "struct $name __imxf_probe_$name;"
			done
		} >"$probe/probe.c"
		if ! gcc -g -c -I"$TOP/include/uapi" -I"$TOP/include" \
			"$probe/probe.c" -o "$probe/probe.o" >"$probe/log" 2>&1; then
			echo "include/uapi headers do not compile in userspace:"
			limit <"$probe/log"
			fail=1
		else
			objs="$objs
$probe/probe.o"
		fi
	fi

	for name in $PAHOLE_STRUCTS $uapi; do
		strict=
		case " $PAHOLE_HOLEFREE " in *" $name "*) strict=holes ;; esac
		case " $uapi " in *" $name "*) strict=uapi ;; esac
		# shellcheck disable=SC2086
		if ! out=$(pahole_find "$name" $objs); then
			if [ -n "$strict" ]; then
				echo "struct $name: NOT FOUND in any object"
				fail=1
			else
				echo "struct $name: not found in any object"
			fi
			continue
		fi
		obj=$(echo "$out" | head -n1)
		sum=$(echo "$out" | tail -n +2 | grep -oE '/\* (size|sum members|padding|bit holes|sum bitfield members|bit_padding|paddings):[^*]*\*/' |
		      sed -E 's|^/\* ||; s| \*/$||' | paste -sd ';' | sed 's/;/; /g')
		echo "struct $name (${strict:+$strict, }$obj): $sum"
		case $strict in
		uapi)
			if echo "$out" | grep -qE 'holes:|padding:|paddings:'; then
				echo "  FAIL: uapi struct $name has holes or padding:"
				echo "$out" | tail -n +2 | grep -E 'XXX|padding' | sed 's/^/  /'
				fail=1
			fi
			;;
		holes)
			if echo "$out" | grep -qE 'holes:|XXX [0-9]+ (bit|byte)s? hole'; then
				echo "  FAIL: struct $name must be hole-free:"
				echo "$out" | tail -n +2 | grep -E 'XXX' | sed 's/^/  /'
				fail=1
			fi
			;;
		esac
	done
	return $fail
}

# --- 6, 7, 8: userspace -----------------------------------------------------
check_cc() {
	local cc=$1 obj=$LINT/user-$1 f rc=0 n=0

	command -v "$cc" >/dev/null || { echo "$cc not installed"; return 1; }
	rm -rf "$obj" && mkdir -p "$obj" || return 1
	for f in "$TOP"/lib/imxflash/*.c; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		(cd "$TOP" && "$cc" -Wall -Wextra -Werror -std=gnu11 -O2 \
			-Iinclude -c "${f#"$TOP"/}" \
			-o "$obj/$(basename "${f%.c}").o") 2>&1 || rc=1
	done
	[ "$n" -gt 0 ] || { echo "no lib/imxflash/*.c"; return 1; }
	[ "$rc" -eq 0 ] && echo "$n files: $cc -Wall -Wextra -Werror -std=gnu11 -O2: clean"
	return $rc
}

check_cppcheck() {
	local out

	if ! command -v cppcheck >/dev/null; then
		echo "cppcheck not installed"
		return 77
	fi
	cd "$TOP" || return 1
	# -U__KERNEL__: only the userspace configuration of include/imxflash/
	# pure.h. In the __KERNEL__ one <linux/types.h> is not found, u8 is
	# unknown and cppcheck 2.10 reports every u8 buffer as having size 0
	# (false ctuArrayIndex errors).
	# The selftest programs (the component folders, their helpers and
	# generators; unit/ and fuzz/ are built with sanitizers instead) and
	# the bench programs, which include lib/'s headers; the userspace
	# tools and their library (userspace/lib/).
	# shellcheck disable=SC2046
	out=$(cppcheck --quiet --error-exitcode=1 \
		--enable=warning,portability --inline-suppr -Iinclude -U__KERNEL__ \
		-I"$SELFTESTS/lib" -Iuserspace/lib \
		--template='{file}:{line}: {severity}: {message} [{id}]' \
		lib/imxflash $(find userspace "$SELFTESTS" tools/bench -name '*.c' \
			! -path '*/unit/*' ! -path '*/fuzz/*' ! -path '*/vm/*' |
			sort) 2>&1)
	local rc=$?
	[ -n "$out" ] && echo "$out" | limit
	[ "$rc" -eq 0 ] && echo "$(cppcheck --version): no findings"
	return $rc
}

# --- main -------------------------------------------------------------------
echo "TAP version 13"
echo "1..8"
mkdir -p "$LINT" || { echo "Bail out! cannot create $LINT"; exit 1; }

# The module builds and the userspace checks do not depend on the kernel
# tree: start them first, then extract (cached) and run checkpatch.
start 3 check_kbuild "$KVER61"
start 4 check_kbuild "$KVER612"
start 6 check_cc gcc
start 7 check_cc clang
start 8 check_cppcheck
ksrc_prepare 2>&1 | sed 's/^/# /'
start 1 check_checkpatch_tree
start 2 check_checkpatch_notree

report 1 "checkpatch --strict (tree mode, $KSRC_NAME)"
report 2 "checkpatch --strict --no-tree --ignore CAMELCASE"
report 3 "W=1 C=1 (sparse) build, ${KVER61:-6.1 headers missing}"
report 4 "W=1 C=1 (sparse) build, ${KVER612:-6.12 headers missing}"
start 5 check_pahole
report 5 "pahole: struct sizes and holes (${KVER61:-6.1} objects)"
report 6 "userspace lib/imxflash: gcc -Wall -Wextra -Werror"
report 7 "userspace lib/imxflash: clang -Wall -Wextra -Werror"
report 8 "cppcheck lib/imxflash, userspace, selftest and bench programs"

awk -v n="$NFAIL" -v t0="$T0" -v t1="$(date +%s.%N)" \
	'BEGIN { printf "# %d of 8 checks failed, %.1f s\n", n, t1 - t0 }'
[ "$NFAIL" -eq 0 ]
