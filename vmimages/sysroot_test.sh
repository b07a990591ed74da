#! /usr/bin/env atf-sh
# vmimages/sysroot_test.sh - template of vmimages/sysroot_test (build.mk fills in @TOP@ and
# @CACHE@): sysroot.sh, the arm64 cross build's sysroot shared by every clone through the cache.
# It unpacks into a tree switched in by a symlink, keeps that tree on a second run, replaces a
# sysroot of the old layout (a plain directory), lets two runs at once end with one tree, and
# rejects bad usage.
TOP=@TOP@
# kyua gives each test case its own HOME: the cache (the downloaded debs) is the one the build used.
export KVMGATE_CACHE=${KVMGATE_CACHE:-@CACHE@}
PKGS="libatf-dev libatf-c-1"
LIB=usr/lib/aarch64-linux-gnu/libatf-c.so.1.0.0

SCRIPT=$TOP/vmimages/sysroot.sh

atf_test_case switch_whole
switch_whole_head()
{
	atf_set descr "sysroot.sh: Debian's arm64 atf-c unpacked into DEST.d/<id>, DEST a symlink to it; a second run keeps the tree (nothing unpacked anew); a plain-directory DEST of the old layout is replaced"
	atf_set require.progs "dpkg apt-get flock"
	atf_set timeout 300
}
switch_whole_body()
{
	dest=$PWD/root/arm64
	mkdir -p "$dest/usr"
	touch "$dest/old-layout"
	# shellcheck disable=SC2086
	atf_check -s exit:0 -o empty -e match:'sysroot unpacked' sh "$SCRIPT" arm64 "$dest" $PKGS
	[ -L "$dest" ] || atf_fail "$dest is not a symlink"
	tree=$(readlink "$dest")
	case $tree in "$dest.d/"*) ;; *) atf_fail "$dest points to $tree, not into $dest.d/" ;; esac
	for f in .complete .unpacked "$LIB" usr/include/atf-c.h; do
		[ -e "$tree/$f" ] || atf_fail "$tree/$f missing"
	done
	[ ! -e "$dest/old-layout" ] || atf_fail "the old plain directory is still there"
	ino=$(stat -c %i "$tree/$LIB")
	# shellcheck disable=SC2086
	atf_check -s exit:0 -o empty -e not-match:'sysroot unpacked' sh "$SCRIPT" arm64 "$dest" $PKGS
	[ "$(readlink "$dest")" = "$tree" ] || atf_fail "the second run switched to $(readlink "$dest")"
	[ "$(stat -c %i "$tree/$LIB")" = "$ino" ] || atf_fail "the second run unpacked the tree anew"
	[ "$(ls "$dest.d" | wc -l)" = 1 ] || atf_fail "more than one tree in $dest.d: $(ls "$dest.d")"
}

atf_test_case two_at_once
two_at_once_head()
{
	atf_set descr "two sysroot.sh runs at once on an empty cache folder both succeed and leave one complete tree"
	atf_set require.progs "dpkg apt-get flock"
	atf_set timeout 300
}
two_at_once_body()
{
	dest=$PWD/root/arm64
	# shellcheck disable=SC2086
	sh "$SCRIPT" arm64 "$dest" $PKGS 2> a.err & a=$!
	# shellcheck disable=SC2086
	sh "$SCRIPT" arm64 "$dest" $PKGS 2> b.err & b=$!
	wait $a || atf_fail "the first run failed: $(cat a.err)"
	wait $b || atf_fail "the second run failed: $(cat b.err)"
	[ "$(cat a.err b.err | grep -c 'sysroot unpacked')" = 1 ] ||
		atf_fail "not exactly one run unpacked: $(cat a.err b.err)"
	[ -e "$dest/.complete" ] && [ -e "$dest/$LIB" ] || atf_fail "no complete tree at $dest"
	[ "$(ls "$dest.d" | wc -l)" = 1 ] || atf_fail "more than one tree in $dest.d: $(ls "$dest.d")"
}

atf_test_case bad_usage
bad_usage_head()
{
	atf_set descr "sysroot.sh without packages, or with an unknown arch: exit 2 and one line saying what was expected"
}
bad_usage_body()
{
	atf_check -s exit:2 -o empty -e match:'^sysroot.sh: usage: sysroot.sh' sh "$SCRIPT" arm64 "$PWD/r"
	atf_check -s exit:2 -o empty -e match:'^sysroot.sh: ' sh "$SCRIPT" sparc64 "$PWD/r" libatf-dev
}

atf_init_test_cases()
{
	atf_add_test_case switch_whole
	atf_add_test_case two_at_once
	atf_add_test_case bad_usage
}
