#!/bin/sh
# coverage.sh - `make fuzz-coverage`: the source coverage the fuzzers reached in each reader. Every
# input of a target's corpus (OUTDIR/<target>/corpus from `make fuzz`, and its seed folders:
# fuzz/corpus/<target>/ and those of fuzz/seed-dirs.txt) is run once
# through the coverage build (OUTDIR/cov/<target>), then llvm-cov reports lines, regions and
# branches of the reader's own files.
#   sh fuzz/coverage.sh OUTDIR TARGET...
set -u
out=$1
shift
top=$(cd "$(dirname "$0")/.." && pwd)
KVMGATE_TOP=$top && . "$top/bindings/util/shlib.sh"
PROFDATA=${LLVM_PROFDATA:-llvm-profdata-19}
COV=${LLVM_COV:-llvm-cov-19}

# the files each harness is for (what its coverage is measured on)
files_of() {
	case $1 in
	fuzz_manifest) echo bindings/model/manifest_text.c bindings/model/manifest_check.c bindings/util/file.c ;;
	fuzz_rust) echo bindings/rust/rust_lex.c bindings/rust/rust_parse.c bindings/rust/rust_read.c ;;
	fuzz_allow) echo bindings/model/allow.c ;;
	fuzz_pahole) echo dwarf/pahole_parse.c ;;
	fuzz_elf) echo dwarf/elf.c ;;
	fuzz_kfile) echo dwarf/kfile.c ;;
	fuzz_macro) echo bindings/clang/literal.c bindings/clang/clang_ioctl.c ;;
	esac
}

rc=0
for t in "$@"; do
	dirs=$(fuzz_seed_dirs "$t" | tr '\n' ' ')
	[ -d "$out/$t/corpus" ] && dirs="$out/$t/corpus $dirs"
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmgate-fuzzcov-XXXXXX") || exit 2
	rm -f "$out/cov/$t.profraw"
	# shellcheck disable=SC2086
	TMPDIR=$tmp LLVM_PROFILE_FILE=$out/cov/$t.profraw "$out/cov/$t" -runs=0 $dirs \
		>"$out/cov/$t.log" 2>&1 || { echo "fuzz-coverage $t: the corpus run failed (see $out/cov/$t.log)"; rc=1; }
	rm -rf "$tmp"
	"$PROFDATA" merge -sparse -o "$out/cov/$t.profdata" "$out/cov/$t.profraw" || exit 2
	srcs=$(for f in $(files_of "$t"); do printf '%s/%s ' "$top" "$f"; done)
	n=$(find $dirs -type f | wc -l)
	# shellcheck disable=SC2086
	"$COV" report "$out/cov/$t" -instr-profile="$out/cov/$t.profdata" $srcs > "$out/cov/$t.txt" ||
		exit 2
	tot=$(grep '^TOTAL' "$out/cov/$t.txt" | awk '{ print "regions " $4 ", lines " $10 ", branches " $13 }')
	echo "fuzz-coverage $t: $n inputs; $(files_of "$t" | sed 's|[^ ]*/||g'): $tot"
done
exit $rc
