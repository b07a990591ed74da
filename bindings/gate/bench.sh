#!/bin/sh
# bindings/gate/bench.sh [OUT [RUNS [GATE-OPTIONS...]]] - figures, not a test: the wall time of
# `kvmgate gate` (default: both arches, the conformance suite in both guests: --guest) and each
# stage's share of it, summed over the arches, from its summary.txt. The first run into a fresh
# OUT builds the conformance programs and guest images of OUT/build; later runs reuse them (the
# cached case). Run from the top of the tree, after make.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-$top/build/gate-bench}
runs=${2:-2}
[ $# -gt 2 ] && shift 2 || set -- --guest
[ -x "$top/kvmgate" ] || { echo "bench.sh: $top/kvmgate not built (run make)" >&2; exit 2; }
i=1
while [ "$i" -le "$runs" ]; do
	t0=$(date +%s.%N)
	"$top/kvmgate" gate -o "$out" "$@" > "$out.run$i.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	awk -v run="$i" -v rc="$rc" -v wall="$(echo "$t1 - $t0" | bc)" '
		/^time \(s\)/ { for (k = 3; k <= NF; k++) name[k] = $k; n = NF; on = 1; next }
		on && NF == 0 { on = 0 }
		on { for (k = 2; k <= NF; k++) sum[k + 1] += $k }
		END {
			printf "gate run %d (exit %s): %.1f s wall\n", run, rc, wall
			for (k = 3; k <= n; k++)
				printf "  %-12s %6.1f s  %5.1f%%\n", name[k], sum[k], 100 * sum[k] / wall
		}' "$out/summary.txt"
	i=$((i + 1))
done
