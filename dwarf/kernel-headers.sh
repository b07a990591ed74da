#!/bin/sh
# dwarf/kernel-headers.sh [--source SRC] [--karch KARCH] VERSION ARCH - a `make headers_install`
# tree of a kernel version for ARCH (x86_64, arm64, riscv64, or any arch with --karch, the kernel's
# ARCH= of headers_install, which `kvmgate bindings` takes from the arch table), built once into
# ${KVMGATE_CACHE:-$HOME/.cache/kvmgate}/headers/KEY/ARCH and reused; prints that path. The one
# place that turns a kernel source into headers (`kvmgate bindings`, the tests, make kernel-headers).
# SRC (default ${KVMGATE_LINUX_SOURCE_DIR:-/usr/src}) is one of:
#   - a folder of Debian's linux-source-X.Y.tar.xz: VERSION (6.1 or v6.1) picks the tarball;
#     KEY is X.Y; only what headers_install reads is unpacked, once, into $CACHE/src/;
#   - one linux-source-*.tar.xz: the same, whatever VERSION says;
#   - a git repository: VERSION is a tag (or any revision); what headers_install reads is taken
#     from it with `git archive` into $CACHE/src/git-COMMIT (the checkout is never touched); KEY is
#     git-COMMIT;
#   - a plain source tree (SRC/Makefile, SRC/include/uapi): built out of tree (make O=... in the
#     cache, nothing written into SRC); KEY is tree-<checksum of its path>; rebuilt when a file
#     under its UAPI folders is newer than the installed tree.
# A tree already installed from the same input is reused; each headers_install done says
# "kernel-headers.sh: headers_install ..." on stderr (`kvmgate bindings` reports it). Exit 2 with
# "kernel-headers.sh: <what>" on failure.
set -eu
prog=kernel-headers.sh
die() { echo "$prog: $*" >&2; exit 2; }
now() { date +%s.%N; }
# why a make failed: the last line of its log that is not make's own "*** Error"
why() { grep -v '^make\(\[[0-9]*\]\)\{0,1\}: \*\*\*' "$1" | tail -n 1; }
secs() { echo "$(now) $1" | awk '{ printf "%.1f", $1 - $2 }'; }

source= karch=
while [ $# -gt 0 ]; do
	case $1 in
	--source) [ $# -ge 2 ] || die "--source needs SRC"; source=$2; shift 2 ;;
	--karch) [ $# -ge 2 ] || die "--karch needs the kernel's ARCH"; karch=$2; shift 2 ;;
	--) shift; break ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || die "usage: kernel-headers.sh [--source SRC] [--karch KARCH] VERSION ARCH"
ver=$1 arch=$2
case $arch in
*/* | .* | '') die "bad arch '$arch'" ;;
esac
if [ -z "$karch" ]; then
	# the scripts' side of the arch table (bindings/model/arch.c, its kernel_arch column)
	case $arch in
	x86_64) karch=x86 ;;
	arm64) karch=arm64 ;;
	riscv64) karch=riscv ;;
	*) die "unknown arch '$arch' (x86_64, arm64 or riscv64; or give --karch)" ;;
	esac
fi
for t in make gcc tar xz flock rsync; do
	command -v $t >/dev/null || die "$t not found (make deps)"
done
CACHE=${KVMGATE_CACHE:-$HOME/.cache/kvmgate}
mkdir -p "$CACHE/headers" "$CACHE/src"
[ -n "$source" ] || source=${KVMGATE_LINUX_SOURCE_DIR:-/usr/src}
[ -e "$source" ] || die "$source: no such kernel source"

# What kind of source, its KEY, the stamp of what was installed, and how to get the tree.
kind= tarball= commit=
if [ -f "$source" ]; then
	kind=tar tarball=$source
elif [ -e "$source/.git" ] ||
	[ "$(git -C "$source" rev-parse --is-bare-repository 2>/dev/null)" = true ]; then
	kind=git
	commit=$(git -C "$source" rev-parse -q --verify "$ver^{commit}" 2>/dev/null) ||
		die "$source: no tag or revision '$ver' in this git repository"
elif [ -f "$source/Makefile" ] && [ -d "$source/include/uapi" ]; then
	kind=tree
else
	kind=tar tarball=$source/linux-source-${ver#v}.tar.xz
	[ -r "$tarball" ] || die "$tarball not found for version $ver (apt-get install linux-source-${ver#v})"
fi
case $kind in
tar)
	base=$(basename "$tarball")
	case $base in
	linux-source-*.tar.xz) key=${base#linux-source-} key=${key%.tar.xz} ;;
	*) die "$tarball: expected a linux-source-X.Y.tar.xz" ;;
	esac
	top=linux-source-$key src=$CACHE/src/$top
	stamp=$(stat -L -c '%s %Y' "$tarball") ;;
git)
	key=git-$(echo "$commit" | cut -c1-12) src=$CACHE/src/$key stamp=$commit ;;
tree)
	src=$(cd "$source" && pwd -P)
	key=tree-$(printf '%s' "$src" | cksum | cut -d' ' -f1)
	stamp="tree $src" ;;
esac

out=$CACHE/headers/$key/$arch
mkdir -p "$CACHE/headers/$key"
exec 9>"$CACHE/headers/.lock"
flock 9		# concurrent runs share the cache
if [ -f "$out/.installed" ] && [ "$(cat "$out/.installed")" = "$stamp" ]; then
	if [ "$kind" != tree ] || [ -z "$(find "$src/include/uapi" "$src/arch/$karch/include/uapi" \
		"$src/Makefile" -newer "$out/.installed" -print 2>/dev/null | head -n 1)" ]; then
		echo "$out"
		exit 0
	fi
fi

# What headers_install reads: the top Makefile and Kbuild, scripts/ (host tools), the UAPI
# headers, the arch trees (their Makefiles and generated syscall headers), tools/include (x86's
# relocs host tool), usr/.
case $kind in
tar)
	if [ ! -f "$src/.extracted" ] || [ "$(cat "$src/.extracted")" != "$stamp" ]; then
		t0=$(now)
		rm -rf "$src"
		# every arch/ at once: a pass over the tarball is its whole xz stream (20-50 s),
		# unpacking arch/ is a second of it, and the next arch needs no second pass
		tar -xJf "$tarball" -C "$CACHE/src" --wildcards "$top/Makefile" "$top/Kbuild" \
			"$top/scripts/*" "$top/include/*" "$top/arch/*" \
			"$top/tools/include/*" "$top/usr/*" ||
			die "cannot unpack $tarball"
		[ -f "$src/Makefile" ] || die "$tarball: no $top/Makefile"
		echo "$stamp" > "$src/.extracted"
		echo "$prog: unpacked $top ($(secs "$t0") s)" >&2
	fi
	if [ ! -f "$src/arch/$karch/Makefile" ]; then
		t0=$(now)
		tar -xJf "$tarball" -C "$CACHE/src" --wildcards "$top/arch/$karch/*" ||
			die "cannot unpack arch/$karch of $tarball"
		echo "$prog: unpacked $top/arch/$karch ($(secs "$t0") s)" >&2
	fi ;;
git)
	if [ ! -f "$src/.extracted" ] || [ ! -f "$src/arch/$karch/Makefile" ]; then
		t0=$(now)
		paths= want="Makefile Kbuild scripts include arch/$karch tools/include usr"
		[ -f "$src/.extracted" ] && want=arch/$karch	# an arch added to an archived tree
		for p in $want; do
			git -C "$source" cat-file -e "$commit:$p" 2>/dev/null && paths="$paths $p"
		done
		mkdir -p "$src"
		# shellcheck disable=SC2086 # the paths are words without blanks
		git -C "$source" archive --format=tar "$commit" $paths | tar -x -C "$src" ||
			die "cannot git archive $ver ($commit) of $source"
		[ -f "$src/Makefile" ] || die "$source: $ver has no Makefile"
		echo "$commit" > "$src/.extracted"
		echo "$prog: git archive $ver of $source ($(secs "$t0") s)" >&2
	fi ;;
esac

t0=$(now)
rm -rf "$out.tmp"
log=$CACHE/headers/$key-$arch.log
if [ "$kind" = tree ]; then
	obj=$CACHE/src/$key-obj/$karch
	mkdir -p "$obj"
	make -C "$src" O="$obj" -s headers_install ARCH="$karch" INSTALL_HDR_PATH="$out.tmp" \
		>"$log" 2>&1 || die "headers_install ARCH=$karch of $ver ($src) failed: $(why "$log") (see $log)"
else
	make -C "$src" -s headers_install ARCH="$karch" INSTALL_HDR_PATH="$out.tmp" >"$log" 2>&1 ||
		die "headers_install ARCH=$karch of $ver failed: $(why "$log") (see $log)"
fi
[ -f "$out.tmp/include/linux/kvm.h" ] || die "headers_install of $ver left no include/linux/kvm.h"
echo "$stamp" > "$out.tmp/.installed"
rm -rf "$out"
mv "$out.tmp" "$out"
rm -f "$log"
echo "$prog: headers_install $ver ARCH=$karch ($(secs "$t0") s)" >&2
echo "$out"
