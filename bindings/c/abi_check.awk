# abi_check.awk - the data tables of a kvm_abi.h (read as text, one row a line) as C static
# assertions, to be compiled after the real <linux/kvm.h>: every ioctl's number, direction, type,
# nr and size (and the size of its argument type), every type's size and alignment, every
# field's offset, size and type, every constant's value. Bitfields are left to
# the run-time check of layout.h (offsetof cannot name them).
#   awk -f abi_check.awk kvm_abi.h > checks.h
function unq(s) {
	gsub(/^"|"$/, "", s)
	return s
}
function check(cond, what) {
	printf "_Static_assert(%s, \"%s\");\n", cond, what
	n++
}
/^const struct kvmgate_abi_[a-z]+ kvmgate_abi_[a-z]+\[\] = \{$/ {
	table = $4
	sub(/^kvmgate_abi_/, "", table)
	sub(/\[\]$/, "", table)
	next
}
/^};$/ { table = ""; next }
table != "" && /^\t\{ ".*\},$/ {
	row = $0
	sub(/^\t\{ /, "", row)
	sub(/ \},$/, "", row)
	nf = split(row, c, ", ")
	rows[table]++
	if (table == "ioctls" && nf == 7) {
		name = unq(c[1])
		dir = c[3] == "'N'" ? "_IOC_NONE" : c[3] == "'R'" ? "_IOC_READ" : \
		      c[3] == "'W'" ? "_IOC_WRITE" : "(_IOC_READ | _IOC_WRITE)"
		check("(" name ") == " c[2] " && _IOC_DIR(" name ") == " dir " && _IOC_TYPE(" name \
		      ") == " c[4] " && _IOC_NR(" name ") == " c[5] " && _IOC_SIZE(" name ") == " c[6],
		      "ioctl " name)
		arg = unq(c[7])
		if (arg != "" && arg !~ /<anonymous>/)
			check("sizeof(" arg ") == " c[6], "ioctl " name " argument " arg)
	} else if (table == "types" && nf == 3) {
		t = unq(c[1])
		check("sizeof(" t ") == " c[2] " && _Alignof(" t ") == " c[3], "type " t)
	} else if (table == "fields" && nf == 7) {
		t = unq(c[1]); p = unq(c[2]); ft = unq(c[7])
		if (c[6] != "0")
			next	# a bitfield
		check("__builtin_offsetof(" t ", " p ") == " c[3], "field " t "." p " offset")
		if (ft !~ /\[\]$/)
			check("sizeof(((" t " *)0)->" p ") == " c[4], "field " t "." p " size")
		if (ft !~ /<anonymous>/)
			check("__builtin_types_compatible_p(__typeof__(((" t " *)0)->" p "), " ft ")",
			      "field " t "." p " type " ft)
	} else if (table == "consts" && nf == 3) {
		name = unq(c[1])
		# is_unsigned marks a value above LLONG_MAX (the manifest keeps values, not C types)
		check("(long long)(" name ") == " c[2] (c[3] == "1" ? " && 0 * (" name ") - 1 > 0" : ""),
		      "const " name)
	} else {
		printf "#error \"malformed %s row: %s\"\n", table, row
	}
}
END {
	printf "/* rows: ioctls %d types %d fields %d consts %d; assertions %d */\n",
	       rows["ioctls"], rows["types"], rows["fields"], rows["consts"], n
}
