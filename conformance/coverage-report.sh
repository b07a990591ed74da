#!/bin/sh
# conformance/coverage-report.sh B - the coverage report of every place the conformance suite ran:
# the host's /dev/kvm (records in B/coverage/host-<arch>/, the kyua run of `make check`) and each
# guest (B/vmimages/<arch>_<kernel series>/results/coverage/, handed back by the guest; place
# guest-<series>). For each, against the manifest of the bindings the programs were built with
# (B/abi/<arch>/kvm_abi.h), writes
# B/coverage/<place>-<arch>.txt: every ioctl of the manifest as exercised (with the checks run),
# skipped (what this kernel lacks) or rejected as expected (another arch's, removed), every struct
# those ioctls carry as round-tripped or not (why), then the totals line, which is also printed:
#   coverage <place> <arch> <kernel>: <N> ioctls: <E> exercised, <S> skipped, <R> rejected as
#   expected; <T> of <U> structs round-tripped
# Precedence: exercised, then rejected as expected (the catalog's answer checked), then skipped.
# Exercised means run with a real argument and checked: the number checks alone (size, wrongfd)
# do not make an ioctl exercised. An ioctl no program recorded is listed as "unrecorded" (and
# counted in none of E, S, R).
# Exit 2 on bad input.
set -u
prog=coverage-report.sh
die() { echo "kvmgate: $prog: $*" >&2; exit 2; }
[ $# -eq 1 ] || die "usage: coverage-report.sh B"
b=$1
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$b/coverage" || die "cannot create $b/coverage"

# report PLACE ARCH KERNEL ABI_H COVDIR
report() {
	place=$1 arch=$2 kernel=$3 abi=$4 covdir=$5
	out=$b/coverage/$place-$arch.txt
	[ -r "$abi" ] || die "$abi: no bindings header for $arch (make abi)"
	set -- "$covdir"/*.cov
	if [ ! -e "$1" ]; then
		echo "coverage $place $arch $kernel: no coverage records in $covdir (the suite did not run there)"
		return
	fi
	awk -v place="$place" -v arch="$arch" -v kernel="$kernel" -v abi="$abi" '
	BEGIN { FS = "\t" }
	# the manifest: the ioctl table of kvm_abi.h
	FILENAME == abi {
		if ($0 ~ /kvmgate_abi_ioctls\[\] = \{/) { intab = 1; next }
		if (intab && $0 ~ /^\};/) { intab = 0; next }
		if (intab && match($0, /\{ "[^"]+"/)) {
			name = substr($0, RSTART + 3, RLENGTH - 4)
			n = split($0, q, "\"")
			arg[name] = q[n - 1]
			names[++nio] = name
		}
		next
	}
	# the records: ioctl NAME status detail | struct NAME status detail
	$1 == "ioctl" {
		if ($3 == "exercised") {
			m = split($4, c, ",")
			for (i = 1; i <= m; i++) {
				# size and wrongfd check the number alone, not a real argument
				if (c[i] != "size" && c[i] != "wrongfd")
					ex[$2] = 1
				if (!(($2, c[i]) in seen)) {
					seen[$2, c[i]] = 1
					checks[$2] = checks[$2] (checks[$2] == "" ? "" : ",") c[i]
				}
			}
		} else if ($3 == "skipped") {
			if (!($2 in sk)) sk[$2] = $4
		} else if ($3 == "rejected") {
			if (!($2 in rj)) rj[$2] = $4
		}
		next
	}
	$1 == "struct" {
		if ($3 == "roundtripped") { rt[$2] = rt[$2] == "" ? $4 : rt[$2]; }
		else if (!($2 in why) || why[$2] == "-") why[$2] = $4
		next
	}
	END {
		printf "# coverage of the conformance suite: %s, %s, kernel %s (bindings: %s)\n", place, arch, kernel, abi
		for (i = 1; i <= nio; i++) {
			nm = names[i]
			# a rejection checked against the catalog outweighs another program'"'"'s skip
			if (nm in ex) { st = "exercised"; d = checks[nm]; E++ }
			else if (nm in rj) { st = "rejected"; d = rj[nm]; R++ }
			else if (nm in sk) { st = "skipped"; d = sk[nm]; S++ }
			else { st = "unrecorded"; d = "no program recorded it" }
			printf "ioctl\t%s\t%s\t%s\n", nm, st, d
			t = arg[nm]
			if (st != "rejected" && (t ~ /^struct / || t ~ /^union /) && !(t in carried)) {
				carried[t] = 1
				structs[++ns] = t
			}
		}
		for (i = 1; i <= ns; i++) {
			t = structs[i]
			if (t in rt) { printf "struct\t%s\troundtripped\tby %s\n", t, rt[t]; T++ }
			else printf "struct\t%s\tnot\t%s\n", t, (t in why) ? why[t] : "no program recorded it"
		}
		printf "coverage %s %s %s: %d ioctls: %d exercised, %d skipped, %d rejected as expected; %d of %d structs round-tripped\n", place, arch, kernel, nio, E, S, R, T, ns
	}' "$abi" "$@" > "$out.tmp" || die "cannot write $out"
	mv "$out.tmp" "$out"
	tail -n 1 "$out"
}

host=$(uname -m)
case "$host" in aarch64) host=arm64 ;; esac
if [ -d "$b/coverage/host-$host" ]; then
	report host "$host" "$(uname -r)" "$b/abi/$host/kvm_abi.h" "$b/coverage/host-$host"
fi
# each guest, <arch>_<kernel series> (vmimages/build.mk; the arch from its image.env): place
# guest-<series>
for res in "$b"/vmimages/*/results; do
	[ -d "$res" ] || continue
	d=${res%/results}
	a=$(sed -n 's/^ARCH=//p' "$d/image.env" 2>/dev/null)
	g=${d##*/} series=${g#"${a}_"}
	[ -n "$a" ] && [ "$series" != "$g" ] || continue
	report "guest-$series" "$a" "$(cat "$res/kernel-release" 2>/dev/null || echo unknown)" \
		"$b/abi/$a/kvm_abi.h" "$res/coverage"
done
