# vmimages/apt-arch.sh - a private apt state per Debian architecture, under the cache, so that
# packages of any architecture can be downloaded (never installed) without touching the host's
# dpkg/apt configuration. Sourced by fetch-kernel.sh and fetch-debs.sh; needs $prog and $CACHE.

# progress MESSAGE: one line on stderr.
progress() { echo "$prog: $*" >&2; }

# die MESSAGE: the error, exit 2.
die() { echo "$prog: $*" >&2; exit 2; }

# now_ms: a clock for the progress lines.
now_ms() { date +%s%3N; }

# secs_since START_MS: elapsed seconds with one decimal.
secs_since() { awk -v a="$1" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }'; }

# apt_arch ARCH: map kvmgate's arch names to Debian's; sets DEBARCH.
apt_arch() {
	case "$1" in
	x86_64) DEBARCH=amd64 ;;
	arm64) DEBARCH=arm64 ;;
	*) die "unknown arch '$1' (x86_64 or arm64)" ;;
	esac
}

# apt_setup: create the private state for $DEBARCH and set APT_OPTS. The sources are the host's
# Debian repositories (as apt itself lists them), or $KVMGATE_APT_SOURCES (a sources.list file).
apt_setup() {
	APT_DIR=$CACHE/apt/$DEBARCH
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$APT_DIR/etc/parts" \
		"$APT_DIR/etc/prefs"
	[ -e "$APT_DIR/status" ] || : > "$APT_DIR/status"
	# One user of the state at a time (dwarf/ fetches kernels too), held until the script exits.
	exec 8> "$APT_DIR/lock" || die "cannot open $APT_DIR/lock"
	flock 8 || die "cannot lock $APT_DIR/lock"
	src=$APT_DIR/etc/sources.list
	if [ -n "${KVMGATE_APT_SOURCES:-}" ]; then
		cp "$KVMGATE_APT_SOURCES" "$src.new" || die "cannot read $KVMGATE_APT_SOURCES"
	else
		keyring=/usr/share/keyrings/debian-archive-keyring.gpg
		opt="arch=$DEBARCH"
		[ -r "$keyring" ] && opt="$opt signed-by=$keyring"
		apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT)' 'Identifier: Packages' \
			2>/dev/null | grep -E '/debian(-security)?/? ' | sort -u |
			sed "s|^|deb [$opt] |" > "$src.new" || true
		if [ ! -s "$src.new" ]; then
			echo "deb [$opt] http://deb.debian.org/debian bookworm main" > "$src.new"
			echo "deb [$opt] http://deb.debian.org/debian bookworm-updates main" >> "$src.new"
			echo "deb [$opt] http://deb.debian.org/debian-security bookworm-security main" >> "$src.new"
		fi
	fi
	# A changed source list invalidates the lists.
	if ! cmp -s "$src.new" "$src"; then
		mv "$src.new" "$src"
		rm -f "$APT_DIR/lists/stamp"
	else
		rm -f "$src.new"
	fi
	APT_OPTS="-o APT::Architecture=$DEBARCH -o APT::Architectures=$DEBARCH
		-o Dir::State=$APT_DIR -o Dir::State::Lists=$APT_DIR/lists
		-o Dir::State::status=$APT_DIR/status -o Dir::Cache=$APT_DIR/cache
		-o Dir::Etc::SourceList=$src -o Dir::Etc::SourceParts=$APT_DIR/etc/parts
		-o Dir::Etc::PreferencesParts=$APT_DIR/etc/prefs -o Debug::NoLocking=1
		-o APT::Sandbox::User=root -o Acquire::Languages=none -q"
}

# apt_update: refresh the private lists when older than a day (KVMGATE_APT_MAX_AGE minutes).
# Without network, stale lists are used with a warning.
apt_update() {
	age=${KVMGATE_APT_MAX_AGE:-1440}
	if [ -e "$APT_DIR/lists/stamp" ] &&
	   [ -z "$(find "$APT_DIR/lists/stamp" -mmin +"$age" 2>/dev/null)" ]; then
		return 0
	fi
	t0=$(now_ms)
	# shellcheck disable=SC2086
	if apt-get $APT_OPTS update > "$APT_DIR/update.log" 2>&1 &&
	   ! grep -q '^[WE]:' "$APT_DIR/update.log"; then
		touch "$APT_DIR/lists/stamp"
		progress "apt lists for $DEBARCH updated ($(secs_since "$t0") s)"
	elif ls "$APT_DIR"/lists/*_Packages* >/dev/null 2>&1; then
		progress "warning: apt-get update for $DEBARCH failed, using older lists ($APT_DIR/update.log)"
	else
		sed 's/^/  /' "$APT_DIR/update.log" >&2
		die "apt-get update for $DEBARCH failed (see $APT_DIR/update.log)"
	fi
}

# apt_field PKG FIELD: a field of the candidate version of PKG ('' if PKG is unknown).
apt_field() {
	# shellcheck disable=SC2086
	apt-cache $APT_OPTS show --no-all-versions "$1" 2>/dev/null | sed -n "s/^$2: //p" | head -n 1
}

# apt_fetch PKG...: download the candidate .debs of PKG... into the cache (those not there yet, in
# one apt-get call); prints their paths, one a line, in the order given.
apt_fetch() {
	dir=$CACHE/debs/$DEBARCH
	mkdir -p "$dir"
	# shellcheck disable=SC2086
	apt-cache $APT_OPTS show --no-all-versions "$@" 2>/dev/null |
		awk '/^Package: / { p = $2 } /^Version: / { print p, $2 }' > "$dir/versions" || true
	missing= paths=
	for p in "$@"; do
		ver=$(awk -v p="$p" '$1 == p { print $2; exit }' "$dir/versions")
		[ -n "$ver" ] || die "package $p not found for $DEBARCH (sources: $APT_DIR/etc/sources.list)"
		deb=$(ls "$dir/${p}_$(echo "$ver" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || missing="$missing $p=$ver"
		paths="$paths $p=$ver"
	done
	if [ -n "$missing" ]; then
		t0=$(now_ms)
		# shellcheck disable=SC2086
		(cd "$dir" && apt-get $APT_OPTS download $missing > "$dir/download.log" 2>&1) ||
			{ sed 's/^/  /' "$dir/download.log" >&2; die "cannot download$missing ($DEBARCH)"; }
		n=$(echo $missing | wc -w)
		progress "downloaded $n $DEBARCH package(s):$(echo "$missing" | sed 's/=[^ ]*//g') ($(secs_since "$t0") s)"
	fi
	for pv in $paths; do
		p=${pv%%=*} ver=${pv#*=}
		deb=$(ls "$dir/${p}_$(echo "$ver" | sed 's/:/%3a/')_"*.deb 2>/dev/null | head -n 1)
		[ -n "$deb" ] || die "package $p=$ver missing from $dir after the download"
		echo "$deb"
	done
}
