#!/bin/bash
# conformance/bench.sh B RUNS ARCH... - how long the conformance suite takes, in figures (not a
# timed test): RUNS times `kyua test` of conformance/ on this machine's /dev/kvm (wall time), and
# RUNS boots of each ARCH guest image of B/vmimages/<arch> (QEMU start to results back, and the
# guest's kyua run alone from its console stamps). Goals (issue 7): host under 10 s, each guest's
# whole run under 30 s. Prints each run, then min/mean/max per place. Temporary files are removed.
set -u
prog=bench.sh
[ $# -ge 2 ] || { echo "kvmgate: $prog: usage: bench.sh B RUNS [ARCH...]" >&2; exit 2; }
b=$1 runs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmgate-cbench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

stats() { awk '{ s += $1; if (NR == 1 || $1 < mn) mn = $1; if ($1 > mx) mx = $1 }
	END { if (NR) printf "min %.2f  mean %.2f  max %.2f s", mn, s / NR, mx }'; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "$prog: $runs runs, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), host kernel $(uname -r)"
# the host's programs: every built conformance program but the "host only" ones of the Kyuafile
# (mutation_test builds and boots guests of its own)
progs=
for p in "$top"/conformance/*_test; do
	n=${p##*/}
	[ -x "$p" ] && ! grep -q "name=\"$n\"} -- host only" "$top/conformance/Kyuafile" &&
		progs="$progs $n"
done
if [ -c /dev/kvm ]; then
	for i in $(seq "$runs"); do
		t0=$EPOCHREALTIME
		(cd "$top/conformance" && kyua test --results-file="$tmp/host.db" $progs > "$tmp/host.out" 2>&1)
		t=$(secs "$t0" "$EPOCHREALTIME")
		printf 'host    run %d: %6s s  %s\n' "$i" "$t" "$(tail -n 1 "$tmp/host.out")"
		echo "$t" >> "$tmp/host.t"
		rm -f "$tmp/host.db"
	done
fi
for a in "$@"; do
	for i in $(seq "$runs"); do
		# the guest of the first kernel series of vmimages/kernels.txt
		s=$(sed -n '/^[0-9]/{s/\t.*//p;q}' "$top/vmimages/kernels.txt")
		bash "$top/vmimages/run-guest.sh" "$a" "$b/vmimages/${a}_$s" "$tmp/$a" 2>/dev/null
		. <(tr ' ' '\n' < "$tmp/$a/timing")
		# the guest's own kyua run, from the uptime stamps of its console lines
		suite=$(awk '/kvmgate-guest: .*kyua test starting/ { gsub(/[][]/, "", $2); s = $2 }
			/kvmgate-guest: .*kyua test done/ { gsub(/[][]/, "", $2); printf "%.2f", $2 - s }' \
			"$tmp/$a/console.log")
		printf '%-7s run %d: %6s s boot to results, suite %s s  %s\n' "$a" "$i" "$total" \
			"${suite:--}" "$(cat "$tmp/$a/host-status")"
		echo "$total" >> "$tmp/$a.t"
		[ -n "$suite" ] && echo "$suite" >> "$tmp/$a.s"
	done
done
echo "summary:"
[ -s "$tmp/host.t" ] && printf '  host    conformance kyua run: %s (goal < 10 s)\n' "$(stats < "$tmp/host.t")"
for a in "$@"; do
	printf '  %-7s boot to results: %s (goal < 30 s); suite alone: %s\n' "$a" \
		"$(stats < "$tmp/$a.t")" "$( [ -s "$tmp/$a.s" ] && stats < "$tmp/$a.s")"
done
