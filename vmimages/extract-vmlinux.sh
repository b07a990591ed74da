#!/bin/sh
# vmimages/extract-vmlinux.sh BZIMAGE OUT - write the uncompressed ELF vmlinux held in an x86
# bzImage, so that QEMU can boot it through its PVH entry (no real-mode setup, no decompression in
# the guest). The payload is located through the boot protocol's setup header (setup_sects at
# 0x1f1, payload_offset and payload_length at 0x248/0x24c) and decompressed by its magic.
set -eu
prog=extract-vmlinux.sh
die() { echo "$prog: $*" >&2; exit 2; }
[ $# -eq 2 ] || die "usage: extract-vmlinux.sh BZIMAGE OUT"
in=$1 out=$2
[ -r "$in" ] || die "cannot read $in"

# byte_at/u32_at OFFSET: integers of the setup header, which is little-endian; read byte by byte so
# that the host's byte order does not matter.
byte_at() { od -A n -t u1 -j "$1" -N 1 "$in" | tr -d ' '; }
u32_at() {
	set -- "$(byte_at "$1")" "$(byte_at $(($1 + 1)))" "$(byte_at $(($1 + 2)))" "$(byte_at $(($1 + 3)))"
	echo $(($1 + ($2 << 8) + ($3 << 16) + ($4 << 24)))
}

[ "$(dd if="$in" bs=1 skip=514 count=4 2>/dev/null)" = HdrS ] || die "$in: not a bzImage (no HdrS)"
setup_sects=$(byte_at 497)
[ "$setup_sects" -ne 0 ] || setup_sects=4
poff=$(u32_at 584)
plen=$(u32_at 588)
[ "$plen" -gt 0 ] || die "$in: no payload in the setup header"
start=$(( (setup_sects + 1) * 512 + poff ))

magic=$(od -A n -t x1 -j "$start" -N 4 "$in" | tr -d ' ')
case "$magic" in
fd377a58) dec="xz -dc --single-stream" ;;
28b52ffd) dec="zstd -dcq" ;;
1f8b*) dec="gzip -dc" ;;
*) die "$in: unknown payload compression (magic $magic)" ;;
esac
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
dd if="$in" iflag=skip_bytes,count_bytes skip="$start" count="$plen" bs=1M 2>/dev/null |
	$dec > "$tmp" 2>/dev/null || [ -s "$tmp" ] || die "$in: cannot decompress the payload ($dec)"
[ "$(od -A n -t x1 -N 4 "$tmp" | tr -d ' ')" = 7f454c46 ] || die "$in: payload is not an ELF vmlinux"
mv "$tmp" "$out"
trap - EXIT
