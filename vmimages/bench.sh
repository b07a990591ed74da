#!/bin/bash
# vmimages/bench.sh B RUNS GUEST... - boot each guest image of B/vmimages/<guest> (<arch>_<kernel>)
# RUNS times: per guest alone (QEMU start to the first test case, and to power-off with the
# results handed back), then all guests together in parallel (wall time), as `make check` runs
# them. Prints a table and min/mean/max per guest. Results of the runs go to a temporary directory, removed at the end.
set -u
prog=bench.sh
[ $# -ge 3 ] || { echo "$prog: usage: bench.sh B RUNS GUEST..." >&2; exit 2; }
b=$1 runs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmgate-bench.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

stats() { awk '{ s += $1; if (NR == 1 || $1 < mn) mn = $1; if ($1 > mx) mx = $1 }
	END { if (NR) printf "min %.2f  mean %.2f  max %.2f", mn, s / NR, mx }'; }

echo "$prog: $runs runs per guest, $(nproc) CPUs, $(qemu-system-x86_64 --version | head -n 1)"
for a in "$@"; do
	for i in $(seq "$runs"); do
		bash "$here/run-guest.sh" "${a%_*}" "$b/vmimages/$a" "$tmp/$a" 2>/dev/null
		st=$(cat "$tmp/$a/host-status")
		. <(tr ' ' '\n' < "$tmp/$a/timing")
		printf '%-12s run %d: first test %5s s  total %5s s  %s\n' "$a" "$i" "$first_test" "$total" "$st"
		echo "$first_test" >> "$tmp/$a.first"
		echo "$total" >> "$tmp/$a.total"
	done
done
for i in $(seq "$runs"); do
	t0=$EPOCHREALTIME
	for a in "$@"; do
		bash "$here/run-guest.sh" "${a%_*}" "$b/vmimages/$a" "$tmp/par-$a" 2>/dev/null &
	done
	wait
	wall=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
	sts=$(for a in "$@"; do echo "$a $(cat "$tmp/par-$a/host-status")"; done | tr '\n' ' ')
	printf 'all          run %d: wall %5s s  (%s)\n' "$i" "$wall" "$sts"
	echo "$wall" >> "$tmp/all.wall"
done
echo "summary:"
for a in "$@"; do
	printf '  %-12s first test: %s   total: %s\n' "$a" "$(stats < "$tmp/$a.first")" "$(stats < "$tmp/$a.total")"
done
printf '  %-12s together, wall: %s\n' all "$(stats < "$tmp/all.wall")"
