#! /usr/bin/env atf-sh
# bindings_test.sh - `kvmgate bindings`, kvm-bindings' update procedure as one command: Debian's
# two linux-source tarballs give every version x arch of the arch table laid out as the crate
# (each file what `kvmgate gen` makes of that tree), and a second run redoes no headers_install;
# the laid-out tree builds as a Cargo crate whose layout tests pass for each version feature; a git
# repository with two tags made from the tarballs' trees gives the same files without its checkout
# touched (and a plain source tree, built out of tree); a bad version or a version whose
# headers fail is named, OUT not written, the completed
# pairs kept for the rerun; --single; an existing OUT refused (--force replaces it); a signal
# leaves no temporary folder behind and stops the running helper.

KVMGATE_TOP=$(cd "$(atf_get_srcdir)/../.." && pwd) && . "$KVMGATE_TOP/bindings/util/shlib.sh"

# oneline FILE: FILE's lines joined (atf's failure reason is one line)
oneline() {
	tr '\n' ' ' < "$1"
}

# every arch of the table, as kvmgate names them (the test follows the table, like the command)
all_arches() {
	"$(kg)" bindings --versions v6.1 --arches '?' -o x 2>&1 | sed -n 's/.*(expected \(.*\))$/\1/p' | sed 's/,/ /g; s/ or / /'
}

# installed_stamps OUT: "tree mtime-of-.installed" of every headers tree the run's pairs used
installed_stamps() {
	for v in v6.1 v6.12; do
		for a in $ARCHES; do
			t=$("$(kg)" bindings --versions $v --arches $a --print-headers) ||
				atf_fail "--print-headers $v $a failed"
			echo "$t $(stat -c %Y.%y "$t/.installed")"
		done
	done
}

atf_test_case tarballs_two_versions
tarballs_two_versions_head() {
	atf_set descr 'Both linux-source tarballs x every arch of the table: the crate layout, a progress line a pair, each file what gen makes of that tree; a second run redoes no headers_install and writes the same tree'
	atf_set require.files '/usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz'
	atf_set require.progs 'gcc aarch64-linux-gnu-gcc pahole make rsync'
	atf_set timeout 1200
}
tarballs_two_versions_body() {
	ARCHES=$(all_arches)
	[ -n "$ARCHES" ] || atf_fail "no arches from the arch table"
	mkdir tmp && export TMPDIR=$PWD/tmp
	atf_check -s exit:0 -o save:first -e save:first.err "$(kg)" bindings --linux /usr/src \
		--versions "v6.12 v6.1" --arches "$ARCHES" -o out
	for v in v6.1 v6.12; do
		f=$(echo "${v#v}" | awk -F. '{ printf "%d_%d_%d", $1, $2, $3 }')
		for a in $ARCHES; do
			grep -Eq "^$v +$a +pass +[0-9.]+s  headers (installed|cached)" first ||
				atf_fail "no passing progress line for $v $a"
			[ -s out/src/$a/bindings_v$f.rs ] || atf_fail "out/src/$a/bindings_v$f.rs missing"
			grep -q '^// kvmgate: end of bindings$' out/src/$a/bindings_v$f.rs ||
				atf_fail "out/src/$a/bindings_v$f.rs: not a whole kvmgate bindings.rs"
			grep -q "^mod bindings_v$f;" out/src/$a/mod.rs || atf_fail "$a/mod.rs lacks $v"
			grep -q "^kvm-v$f = \[\]$" out/features.toml || atf_fail "features.toml lacks kvm-v$f"
		done
	done
	# the versions were given newest first: sorted, the newest is the default of mod.rs
	grep -q '^#\[cfg(any(feature = "kvm-v6_12_0", not(any(feature = "kvm-v6_1_0", feature = "kvm-v6_12_0"))))\]$' \
		out/src/x86_64/mod.rs || atf_fail "x86_64/mod.rs: 6.12 is not the default"
	[ "$(ls out)" = "features.toml
src" ] || atf_fail "out holds more than src/ and features.toml: $(ls out)"
	[ -z "$(ls -A tmp)" ] || atf_fail "temporary files left: $(ls -A tmp)"
	[ -z "$(ls -A . | grep '^\.out\.tmp')" ] || atf_fail "a staging folder was left next to out"
	# a pair's file is what gen makes of that version's tree
	t=$("$(kg)" bindings --versions v6.12 --arches arm64 --print-headers)
	atf_check -s exit:0 -e ignore "$(kg)" gen --arch arm64 --headers "$t" -o gen
	cmp -s gen/bindings.rs out/src/arm64/bindings_v6_12_0.rs ||
		atf_fail "arm64 6.12: not what kvmgate gen --headers $t writes"
	cmp -s out/src/x86_64/bindings_v6_1_0.rs out/src/x86_64/bindings_v6_12_0.rs &&
		atf_fail "the two versions gave the same file"

	# warm: the same trees, their .installed untouched, no headers_install
	installed_stamps > before
	atf_check -s exit:0 -o save:second -e save:second.err "$(kg)" bindings --linux /usr/src \
		--versions "v6.1 v6.12" --arches "$ARCHES" -o out2
	installed_stamps > after
	cmp -s before after || atf_fail "a headers tree was reinstalled: $(diff before after | tr '\n' ' ')"
	[ "$(grep -Ec ' pass +[0-9.]+s  headers cached ' second)" = $((2 * $(echo $ARCHES | wc -w))) ] ||
		atf_fail "the warm run did not reuse every headers tree: $(oneline second)"
	grep -q 'kernel-headers.sh: headers_install' second.err && atf_fail "headers_install ran again"
	diff -r out out2 > /dev/null || atf_fail "the warm run wrote another tree"
}

# cargo_crate OUT: a minimal Cargo package around OUT's tree for the host arch (no
# dependencies); the test `selected` checks the version the features chose.
cargo_crate() {
	host=$(host_arch)
	[ -n "$host" ] || atf_skip "this machine's arch ($(uname -m)) is none of the table's"
	mkdir crate
	cp -R "$1/src" crate/src
	{ printf '[package]\nname = "kvm-bindings-layout"\nversion = "0.0.0"\nedition = "2018"\n\n'
	  [ -f "$1/features.toml" ] && cat "$1/features.toml"; } > crate/Cargo.toml
	cat > crate/src/lib.rs <<EOF
#![allow(non_upper_case_globals, non_camel_case_types, non_snake_case, dead_code)]
#![allow(clippy::all)]
pub mod $host;
#[cfg(test)]
mod selected {
    #[test]
    fn version() {
        assert_eq!(super::$host::BINDINGS_KERNEL_VERSION, env!("WANT_VERSION"));
    }
}
EOF
}

# cargo_test FEATURE WANT: build and test the crate with FEATURE (or none: "-"); WANT the
# kernel version mod.rs must select
cargo_test() {
	feat=
	[ "$1" = - ] || feat="--features $1"
	# shellcheck disable=SC2086
	(cd crate && WANT_VERSION=$2 "$CARGO" build --offline $feat) > build-$1.log 2>&1 ||
		atf_fail "cargo build --offline $feat: $(tail -n 5 build-$1.log | tr '\n' ' ')"
	# shellcheck disable=SC2086
	(cd crate && WANT_VERSION=$2 "$CARGO" test --offline $feat) > test-$1.log 2>&1 ||
		atf_fail "cargo test --offline $feat: $(grep -E 'panicked|left|right|error' test-$1.log | head -n 5 | tr '\n' ' ')"
	n=$(sed -n 's/^test result: ok\. \([0-9]*\) passed; 0 failed.*/\1/p' test-$1.log | sort -n | tail -n 1)
	[ "${n:-0}" -gt 100 ] || atf_fail "cargo test $feat: ${n:-no} layout tests passed"
	grep -q '^test selected::version \.\.\. ok$' test-$1.log ||
		atf_fail "$feat did not select $2"
}

find_cargo() {
	CARGO=${KVMGATE_CARGO:-/usr/bin/cargo}
	[ -x "$CARGO" ] || CARGO=$(command -v cargo) || atf_skip "cargo not installed (make deps: cargo)"
	# Debian's rustc with Debian's cargo, as the gate's rust stage
	RUSTC=${KVMGATE_RUSTC:-/usr/bin/rustc}
	[ -x "$RUSTC" ] || RUSTC=$(command -v rustc) || atf_skip "rustc not installed"
	RUSTDOC=${KVMGATE_RUSTDOC:-$(dirname "$RUSTC")/rustdoc}
	export RUSTC RUSTDOC CARGO_HOME=$PWD/cargo-home
}

atf_test_case crate_features
crate_features_head() {
	atf_set descr 'The laid-out tree is a crate: cargo build --offline and cargo test --offline (the layout tests) per version feature, the newest with none, the newest of several'
	atf_set require.files '/usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz'
	atf_set require.progs 'gcc pahole make rsync'
	atf_set timeout 900
}
crate_features_body() {
	find_cargo
	atf_check -s exit:0 -o ignore -e ignore "$(kg)" bindings --versions "v6.1 v6.12" \
		--arches "$(host_arch)" -o out
	cargo_crate out
	cargo_test kvm-v6_1_0 6.1.0
	cargo_test kvm-v6_12_0 6.12.0
	cargo_test - 6.12.0
	cargo_test kvm-v6_1_0,kvm-v6_12_0 6.12.0
	# the two versions' layout tests differ (the feature really switched the file)
	grep -c '^test .*bindgen_test_layout_.* ok$' test-kvm-v6_1_0.log > n61
	grep -c '^test .*bindgen_test_layout_.* ok$' test-kvm-v6_12_0.log > n612
	cmp -s n61 n612 && atf_fail "6.1 and 6.12 ran the same number of layout tests"
	return 0
}

atf_test_case single
single_head() {
	atf_set descr '--single writes src/<arch>/bindings.rs and a mod.rs over it, no features; it takes one version; the crate builds'
	atf_set require.files '/usr/src/linux-source-6.12.tar.xz'
	atf_set require.progs 'gcc pahole make rsync'
	atf_set timeout 600
}
single_body() {
	atf_check -s exit:2 -o empty -e match:'--single takes one version' "$(kg)" bindings --single \
		--versions "v6.1 v6.12" -o out
	[ -e out ] && atf_fail "out written"
	atf_check -s exit:0 -o match:'^v6\.12 +x86_64 +pass ' -e ignore "$(kg)" bindings --single \
		--versions v6.12 --arches x86_64 -o out
	[ "$(cd out && find . -type f | sort | tr '\n' ' ')" = "./src/x86_64/bindings.rs ./src/x86_64/mod.rs " ] ||
		atf_fail "--single wrote: $(cd out && find . -type f)"
	grep -q '^pub mod bindings;$' out/src/x86_64/mod.rs || atf_fail "mod.rs is not over bindings.rs"
	grep -q '^// kvmgate: end of bindings$' out/src/x86_64/bindings.rs || atf_fail "bindings.rs not whole"
	[ "$(host_arch)" = x86_64 ] || return 0
	find_cargo
	cargo_crate out
	cargo_test - 6.12.0
}

atf_test_case out_exists
out_exists_head() {
	atf_set descr 'An existing OUT is refused before any work and left as it was; --force replaces it whole, no staging folder left'
	atf_set require.files '/usr/src/linux-source-6.1.tar.xz'
	atf_set require.progs 'gcc pahole make rsync'
	atf_set timeout 600
}
out_exists_body() {
	mkdir out && echo mine > out/mine
	atf_check -s exit:2 -o empty -e match:'^kvmgate: bindings: out: exists \(--force replaces it\)$' \
		"$(kg)" bindings --versions v6.1 --arches arm64 -o out
	[ "$(cat out/mine)" = mine ] || atf_fail "out/mine changed"
	atf_check -s exit:0 -o match:'1 pair proved \(1 version x 1 arch\)' -e ignore "$(kg)" bindings --versions v6.1 \
		--arches arm64 --force -o out
	[ -e out/mine ] && atf_fail "--force kept the old tree's file"
	[ -s out/src/arm64/bindings_v6_1_0.rs ] || atf_fail "--force did not write the tree"
	[ -z "$(ls -A . | grep '^\.out\.')" ] || atf_fail "left: $(ls -A . | grep '^\.out\.')"
}

atf_test_case bad_input
bad_input_head() {
	atf_set descr 'A version no source has stops the run naming it (exit 2), OUT not written, nothing temporary left, the completed version reported and kept; malformed versions, unknown arches and missing sources are one-line errors'
	atf_set require.files '/usr/src/linux-source-6.1.tar.xz'
	atf_set require.progs 'gcc pahole make rsync'
	atf_set timeout 600
}
bad_input_body() {
	mkdir tmp && export TMPDIR=$PWD/tmp
	atf_check -s exit:2 -o save:stdout -e save:stderr "$(kg)" bindings --versions "v6.1 v6.99" \
		--arches arm64 -o out
	grep -Eq '^v6\.1 +arm64 +pass ' stdout || atf_fail "v6.1 not completed first"
	grep -Eq '^v6\.99 +arm64 +ERROR ' stdout || atf_fail "no ERROR line for v6.99"
	grep -q '^kvmgate: bindings: v6\.99: the headers of arm64 failed: .*linux-source-6\.99\.tar\.xz not found' stderr ||
		atf_fail "v6.99 not named: $(oneline stderr)"
	grep -q '^kvmgate: bindings: out not written; 1 completed pair kept in ' stderr ||
		atf_fail "the completed pair not reported kept: $(oneline stderr)"
	[ -e out ] && atf_fail "out written"
	[ -z "$(ls -A tmp)" ] || atf_fail "temporary files left: $(ls -A tmp)"
	[ -z "$(ls -A . | grep '^\.out\.')" ] || atf_fail "staging folder left"
	atf_check -s exit:2 -o empty -e match:"^kvmgate: bindings: version '6\.x': expected vX\.Y" \
		"$(kg)" bindings --versions "v6.1 6.x" -o out
	atf_check -s exit:2 -o empty -e match:"^kvmgate: bindings: unknown arch 'sparc' \(expected x86_64, arm64" \
		"$(kg)" bindings --versions v6.1 --arches "x86_64 sparc" -o out
	atf_check -s exit:2 -o empty -e match:"^kvmgate: bindings: versions 'v6\.1' and 'v6\.1\.0' are the same" \
		"$(kg)" bindings --versions "v6.1 v6.1.0" -o out
	atf_check -s exit:2 -o empty -e match:'^kvmgate: bindings: /nonexistent: No such file' \
		"$(kg)" bindings --linux /nonexistent --versions v6.1 -o out
	atf_check -s exit:2 -o empty -e match:'-o OUT is required' "$(kg)" bindings --versions v6.1
	[ -e out ] && atf_fail "out written"
	[ -z "$(ls -A tmp)" ] || atf_fail "temporary files left: $(ls -A tmp)"
}

# make_repo DIR: a git repository with tags v6.1 and v6.12, each commit what headers_install
# reads of that tarball's tree (the cache's unpacked sources, without what headers_install
# generated in them), and v6.13: v6.12 with a Makefile whose headers_install fails
make_repo() {
	headers_tree 6.1 arm64
	headers_tree 6.12 arm64
	git init -q "$1"
	for v in 6.1 6.12; do
		src=$KVMGATE_CACHE/src/linux-source-$v
		[ -f "$src/.extracted" ] || atf_fail "$src: not unpacked by kernel-headers.sh"
		(cd "$1" && git rm -rq --cached --ignore-unmatch . && find . -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +)
		(cd "$src" && find Makefile Kbuild scripts include/uapi arch/arm64 arch/riscv arch/x86 \
			tools/include usr -type f ! -newer .extracted 2>/dev/null | grep -v \
			-e '^arch/[^/]*/\(kernel\|mm\|kvm\|lib\|crypto\|boot\|net\|xen\|platform\|pci\|events\|power\|hyperv\|virt\|coco\|realmode\|video\)/' |
			cpio -pdm --quiet "$1") || atf_fail "cannot copy $src"
		(cd "$1" && git add -A . && git -c user.name=t -c user.email=t@t commit -qm "linux $v" &&
			git tag v$v) || atf_fail "cannot commit $v"
	done
	(cd "$1" && printf 'headers_install:\n\t@echo no headers here >&2; exit 1\n' > Makefile &&
		git -c user.name=t -c user.email=t@t commit -qam "broken" && git tag v6.13 &&
		git checkout -q v6.12) || atf_fail "cannot commit v6.13"
}

atf_test_case git_two_tags
git_two_tags_head() {
	atf_set descr 'A git repository with tags v6.1 and v6.12 made from the tarballs trees gives the tarballs files (git archive into the cache, the checkout untouched); a tag whose headers_install fails is named, the completed version kept and reused'
	atf_set require.files '/usr/src/linux-source-6.1.tar.xz /usr/src/linux-source-6.12.tar.xz'
	atf_set require.progs 'git cpio gcc aarch64-linux-gnu-gcc riscv64-linux-gnu-gcc pahole make rsync'
	atf_set timeout 1200
}
git_two_tags_body() {
	t0=$(date +%s)
	make_repo "$PWD/linux"
	echo "the repository took $(($(date +%s) - t0)) s" >&2
	head=$(git -C linux rev-parse HEAD)
	# the tarballs' run (the shared cache), then the repository's into a cache of its own (cold)
	atf_check -s exit:0 -o ignore -e ignore "$(kg)" bindings --versions "v6.1 v6.12" \
		--arches "arm64 riscv64" -o tar-out
	export GATE_GUEST_BTF="$KVMGATE_CACHE/btf" KVMGATE_CACHE=$PWD/cache
	atf_check -s exit:0 -o save:stdout -e ignore "$(kg)" bindings --linux "$PWD/linux" \
		--versions "v6.1 v6.12" --arches "arm64 riscv64" -o git-out
	[ "$(grep -Ec '^v6\.1?2? +(arm64|riscv64) +pass +[0-9.]+s  headers installed' stdout)" = 4 ] ||
		atf_fail "not 4 pairs installed from git: $(oneline stdout)"
	for c in $(git -C linux rev-parse v6.1 v6.12); do
		k=git-$(echo "$c" | cut -c1-12)
		[ -f cache/headers/$k/arm64/include/linux/kvm.h ] || atf_fail "no headers tree $k/arm64"
		[ "$(cat cache/src/$k/.extracted)" = "$c" ] || atf_fail "$k: not git archive of $c"
	done
	diff -r tar-out git-out > /dev/null || atf_fail "the git tags gave other files than the tarballs"
	[ "$(git -C linux rev-parse HEAD)" = "$head" ] || atf_fail "the checkout's HEAD moved"
	[ -z "$(git -C linux status --porcelain --ignored)" ] || atf_fail "the checkout changed: $(git -C linux status --porcelain --ignored | head -n 3)"

	atf_check -s exit:2 -o save:stdout2 -e save:stderr2 "$(kg)" bindings --linux "$PWD/linux" \
		--versions "v6.1 v6.13" --arches arm64 -o bad-out
	grep -Eq '^v6\.1 +arm64 +pass +[0-9.]+s  headers cached' stdout2 ||
		atf_fail "the completed v6.1 was not reused: $(oneline stdout2)"
	grep -q '^kvmgate: bindings: v6\.13: the headers of arm64 failed: kernel-headers.sh: headers_install ARCH=arm64 of v6\.13 failed: no headers here' stderr2 ||
		atf_fail "v6.13 not named: $(oneline stderr2)"
	[ -e bad-out ] && atf_fail "bad-out written"
	[ -z "$(git -C linux status --porcelain --ignored)" ] || atf_fail "the checkout changed"

	# a plain source tree (v6.1's files, no .git): built out of tree, nothing written into it
	mkdir plain
	git -C linux archive v6.1 | tar -x -C plain || atf_fail "cannot make the plain tree"
	touch -d '1 minute ago' stamp
	find plain -exec touch -h -d '2 minutes ago' {} +
	atf_check -s exit:0 -o match:'^v6\.1 +arm64 +pass .*headers installed' -e ignore \
		"$(kg)" bindings --linux "$PWD/plain" --versions v6.1 --arches arm64 -o plain-out
	cmp -s plain-out/src/arm64/bindings_v6_1_0.rs tar-out/src/arm64/bindings_v6_1_0.rs ||
		atf_fail "the plain tree gave another file than the tarball"
	[ -z "$(find plain -newer stamp | head -n 3)" ] ||
		atf_fail "the plain tree was written to: $(find plain -newer stamp | head -n 3 | tr '\n' ' ')"
	atf_check -s exit:2 -o ignore -e match:'the headers are of Linux 6\.1, not v6\.12' \
		"$(kg)" bindings --linux "$PWD/plain" --versions v6.12 --arches arm64 -o plain-out2
}

# fake_top DIR: a source tree whose kernel-headers.sh records its pid and hangs (the helper the
# signal must stop)
fake_top() {
	mkdir -p "$1/dwarf"
	printf '#!/bin/sh\necho $$ > %s/helper.pid\nexec sleep 300\n' "$PWD" > "$1/dwarf/kernel-headers.sh"
}

atf_test_case signals
signals_head() {
	atf_set descr 'SIGTERM, SIGINT or SIGHUP during a run: the helper is stopped, the staging and log folders removed, OUT not written, and kvmgate dies of the signal'
	atf_set timeout 120
}
signals_body() {
	fake_top "$PWD/top"
	mkdir tmp
	for s in TERM INT HUP; do
		rm -f helper.pid
		$SIG_DEFAULTS TMPDIR=$PWD/tmp KVMGATE_TOP=$PWD/top "$(kg)" bindings --versions v6.1 --arches x86_64 \
			-o out > /dev/null 2>&1 &
		pid=$!
		n=0
		while [ ! -s helper.pid ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
		[ -s helper.pid ] || atf_fail "the helper did not start"
		ls -A . | grep -q '^\.out\.tmp-' || atf_fail "no staging folder while running"
		[ -n "$(ls -A tmp)" ] || atf_fail "no log folder while running"
		kill -$s $pid
		wait $pid
		rc=$?
		case $s in TERM) n=15 ;; INT) n=2 ;; HUP) n=1 ;; esac
		[ $rc = $((128 + n)) ] || atf_fail "SIG$s: exit $rc, not death by the signal"
		kill -0 "$(cat helper.pid)" 2>/dev/null && atf_fail "SIG$s: the helper still runs"
		[ -e out ] && atf_fail "SIG$s: out written"
		[ -z "$(ls -A . | grep '^\.out\.')" ] || atf_fail "SIG$s: staging folder left"
		[ -z "$(ls -A tmp)" ] || atf_fail "SIG$s: temporary files left: $(ls -A tmp)"
	done
}

atf_init_test_cases() {
	atf_add_test_case tarballs_two_versions
	atf_add_test_case crate_features
	atf_add_test_case single
	atf_add_test_case out_exists
	atf_add_test_case bad_input
	atf_add_test_case git_two_tags
	atf_add_test_case signals
}
