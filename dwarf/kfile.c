/* kfile.c - kernel files made readable by pahole: raw BTF (sysfs), ELF (vmlinux, .ko, probe),
 * and kernel images (x86 bzImage, arm64 and riscv Image, gzip/xz/zstd-compressed vmlinuz) whose BTF blob
 * is decompressed and carved out into a temporary file. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arch.h"
#include "file.h"
#include "pahole.h"
#include "spawn.h"
#include "tmpdir.h"

#define BTF_HDR_MIN 24

static uint32_t le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The size a BTF header claims for its blob, or 0 when buf does not start with a BTF header. */
static uint64_t btf__claimed_size(const unsigned char *buf, size_t len)
{
	uint64_t hdr, types, strs;

	if (len < BTF_HDR_MIN || (buf[0] | buf[1] << 8) != BTF_MAGIC || buf[2] != 1 || buf[3] != 0)
		return 0;
	hdr = le32(buf + 4);
	if (hdr < BTF_HDR_MIN || hdr > 256)
		return 0;
	types = (uint64_t)le32(buf + 8) + le32(buf + 12);
	strs = (uint64_t)le32(buf + 16) + le32(buf + 20);
	return hdr + (types > strs ? types : strs);
}

size_t btf__blob_size(const unsigned char *buf, size_t len)
{
	uint64_t n = btf__claimed_size(buf, len);
	uint32_t str_off, str_len;

	if (!n || n > len)
		return 0;
	str_off = le32(buf + 16);
	str_len = le32(buf + 20);
	/* the string section starts with the empty string and ends with a NUL */
	if (!str_len || buf[le32(buf + 4) + str_off] != '\0' ||
	    buf[le32(buf + 4) + str_off + str_len - 1] != '\0')
		return 0;
	return (size_t)n;
}

/* True when the raw BTF of fd (its first len bytes in head, a whole header) is split BTF, as a
 * module's copied out of /sys/kernel/btf/: its string section continues its base's, so it does
 * not start with the empty string that a base's does. */
static bool btf__is_split(int fd, const unsigned char *head, size_t len)
{
	unsigned char c;

	if (len < 24 || !le32(head + 20))
		return false;
	return pread(fd, &c, 1, (off_t)le32(head + 4) + le32(head + 16)) == 1 && c != '\0';
}

/* Run "TOOL -dc IN > OUT". The exit status is not trusted alone: a bzImage payload carries the
 * decompressed size after the stream (trailing data for xz and zstd), so a non-empty output is
 * kept and the BTF carved from it decides. 0 or -errno with err naming what (the user's file). */
static int decompress(const char *tool, const char *in, const char *out, const char *what,
		      bool *failed, char *err, size_t errlen)
{
	struct spawn_io io = { .out = { .path = out }, .err = { .path = "/dev/null" } };
	char *argv[] = { (char *)tool, "-dc", (char *)in, NULL, NULL };
	struct stat st;
	int rc, status;

	if (strcmp(tool, "xz") == 0) {
		argv[2] = "--single-stream";
		argv[3] = (char *)in;
	}
	rc = spawn__run_limited(argv, &io, &status);
	if (rc > 0) {
		snprintf(err, errlen, "%s: cannot run %s: %s", what, tool, strerror(rc));
		return -rc;
	}
	if (rc == -ETIMEDOUT) {
		snprintf(err, errlen, "%s: %s -dc: no answer after %u s, killed "
			 "(KVMGATE_CHILD_TIMEOUT sets the limit)", what, tool, spawn__time_limit());
		return rc;
	}
	if (rc < 0) {
		snprintf(err, errlen, "%s: waitpid: %s", what, strerror(-rc));
		return rc;
	}
	*failed = !spawn__ok(status);
	if (!spawn__ok(status) &&
	    (stat(out, &st) != 0 || st.st_size == 0)) {
		snprintf(err, errlen, "%s: %s -dc failed: corrupt or truncated compressed kernel",
			 what, tool);
		return -EINVAL;
	}
	return 0;
}

static const char *compression__tool(const unsigned char *p, size_t len)
{
	if (len >= 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 8)
		return "gzip";
	if (len >= 6 && memcmp(p, "\xfd" "7zXZ\0", 6) == 0)
		return "xz";
	if (len >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0)
		return "zstd";
	return NULL;
}

/* Find the first well-formed BTF blob of an image and write it to tmpdir/vmlinux.btf. */
static int image__carve_btf(struct kfile *k, const unsigned char *img, size_t len,
			    const char *path, char *err, size_t errlen)
{
	const unsigned char *p = img, *end = img + len;
	char *out;
	int rc;

	if (arch__from_image(img, len))
		k->arch = arch__from_image(img, len);
	else if (len >= EI_NIDENT && memcmp(img, ELFMAG, SELFMAG) == 0 && len > 20)
		k->arch = arch__from_elf_machine(img[18] | img[19] << 8);
	while ((p = memmem(p, (size_t)(end - p), "\x9f\xeb\x01\x00", 4)) != NULL) {
		size_t n = btf__blob_size(p, (size_t)(end - p));

		if (n > 1024)
			break;
		p++;
	}
	if (!p) {
		snprintf(err, errlen, "%s: no BTF in this kernel image (built without "
			 "CONFIG_DEBUG_INFO_BTF?)", path);
		return -ENOENT;
	}
	if (asprintf(&out, "%s/vmlinux.btf", k->tmpdir) < 0)
		return -ENOMEM;
	rc = file__write(out, p, btf__blob_size(p, (size_t)(end - p)));
	if (rc) {
		snprintf(err, errlen, "%s: %s", out, strerror(-rc));
		free(out);
		return rc;
	}
	free(k->path);
	k->path = out;
	return 0;
}

static int file__map(const char *path, unsigned char **p, size_t *len, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;

	if (fd < 0 || fstat(fd, &st)) {
		int rc = -errno;

		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	*len = (size_t)st.st_size;
	*p = *len ? mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (*len && *p == MAP_FAILED) {
		snprintf(err, errlen, "%s: mmap: %s", path, strerror(errno));
		return -errno;
	}
	return 0;
}

/* A kernel image: decompress what needs it, then carve its BTF. */
static int kfile__open_image(struct kfile *k, const unsigned char *head, size_t headlen,
			     const char *path, char *err, size_t errlen)
{
	unsigned char *img = NULL;
	size_t len = 0;
	const char *tool;
	char *in = NULL, *out = NULL;
	int rc;

	rc = file__map(path, &img, &len, err, errlen);
	if (rc)
		return rc;
	rc = tmpdir__new("kvmgate", &k->tmpdir);
	if (rc) {
		snprintf(err, errlen, "mkdtemp: %s", strerror(-rc));
		goto out_unmap;
	}
	tool = compression__tool(head, headlen);
	if (!tool && len > 0x250 && memcmp(img + 0x202, "HdrS", 4) == 0) {
		/* x86 boot protocol: the compressed vmlinux is the payload of the setup code */
		unsigned setup = img[0x1f1] ? img[0x1f1] : 4;
		uint64_t start = (uint64_t)(setup + 1) * 512 + le32(img + 0x248);
		uint64_t plen = le32(img + 0x24c);

		k->arch = "x86_64";
		if (start + plen > len || !(tool = compression__tool(img + start, len - start))) {
			snprintf(err, errlen, "%s: bzImage payload is truncated or uses an "
				 "unsupported compression (gzip, xz, zstd)", path);
			rc = -EINVAL;
			goto out_unmap;
		}
		if (asprintf(&in, "%s/payload", k->tmpdir) < 0) {
			rc = -ENOMEM;
			goto out_unmap;
		}
		rc = file__write(in, img + start, (size_t)plen);
		if (rc)
			goto out_unmap;
	}
	if (tool) {
		const char *arch = k->arch;

		if (asprintf(&out, "%s/image", k->tmpdir) < 0) {
			rc = -ENOMEM;
			goto out_unmap;
		}
		bool failed = false;

		rc = decompress(tool, in ? in : path, out, path, &failed, err, errlen);
		if (rc)
			goto out_unmap;
		munmap(img, len);
		img = NULL;
		rc = file__map(out, &img, &len, err, errlen);
		if (rc)
			goto out_unmap;
		rc = image__carve_btf(k, img, len, path, err, errlen);
		if (rc == -ENOENT && failed) {
			/* what came out before the error has no BTF: the image is broken, not
			 * built without BTF */
			snprintf(err, errlen, "%s: %s -dc failed: corrupt or truncated compressed "
				 "kernel", path, tool);
			rc = -EINVAL;
		}
		if (!k->arch)
			k->arch = arch;
		unlink(out);
		if (in)
			unlink(in);
	} else if (arch__from_image(img, len)) {
		rc = image__carve_btf(k, img, len, path, err, errlen);
	} else {
		snprintf(err, errlen, "%s: not an ELF, a BTF blob or a kernel image", path);
		rc = -EINVAL;
	}
	k->kind = KFILE_IMAGE;
out_unmap:
	if (img && len)
		munmap(img, len);
	free(in);
	free(out);
	return rc;
}

int kfile__open(struct kfile *k, const char *path, const char *fmt, char *err, size_t errlen)
{
	bool want_btf = strcmp(fmt, "btf") == 0;
	unsigned char head[4096];
	const char *base;
	ssize_t n;
	int fd, rc;

	memset(k, 0, sizeof(*k));
	k->path = strdup(path);
	if (!k->path)
		return -ENOMEM;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out_fail;
	}
	n = pread(fd, head, sizeof(head), 0);
	if (n < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		goto out_fail;
	}
	if (n == 0) {
		snprintf(err, errlen, "%s: empty file", path);
		rc = -EINVAL;
		close(fd);
		goto out_fail;
	}
	if (btf__claimed_size(head, (size_t)n)) {
		struct stat st;
		uint64_t claimed = btf__claimed_size(head, (size_t)n);

		if (fstat(fd, &st)) {
			rc = -errno;
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			goto out_fail;
		}
		if (!want_btf) {
			snprintf(err, errlen, "%s: raw BTF has no DWARF (use --from btf)", path);
			rc = -EINVAL;
			close(fd);
			goto out_fail;
		}
		if (claimed > (uint64_t)st.st_size) {
			snprintf(err, errlen, "%s: truncated BTF: its header claims %llu bytes, the "
				 "file has %llu", path, (unsigned long long)claimed,
				 (unsigned long long)st.st_size);
			rc = -EINVAL;
			close(fd);
			goto out_fail;
		}
		k->kind = KFILE_BTF_RAW;
		base = strrchr(path, '/');
		k->is_module = strncmp(path, "/sys/kernel/btf/", 16) == 0 &&
			       strcmp(base + 1, "vmlinux") != 0;
		if (!k->is_module)
			k->is_module = btf__is_split(fd, head, (size_t)n);
		close(fd);
		return 0;
	}
	rc = elf__inspect(fd, path, &k->elf, err, errlen);
	close(fd);
	if (rc)
		goto out_fail;
	if (k->elf.is_elf) {
		k->kind = KFILE_ELF;
		k->is_module = k->elf.has_modinfo;
		k->arch = arch__from_elf_machine(k->elf.machine);
		if (want_btf && !k->elf.has_btf) {
			snprintf(err, errlen, "%s: no .BTF section (kernel built without "
				 "CONFIG_DEBUG_INFO_BTF?)", path);
			rc = -EINVAL;
		} else if (!want_btf && !k->elf.has_debug_info) {
			snprintf(err, errlen, "%s: no DWARF (.debug_info); the kernel's -dbg "
				 "package has it", path);
			rc = -EINVAL;
		}
		if (!rc && want_btf) {
			/* check the BTF section's own header: a truncated blob is not an empty one */
			unsigned char h[BTF_HDR_MIN];

			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd < 0 || pread(fd, h, sizeof(h), (off_t)k->elf.btf_off) != sizeof(h) ||
			    !btf__claimed_size(h, sizeof(h)) ||
			    btf__claimed_size(h, sizeof(h)) > k->elf.btf_size) {
				snprintf(err, errlen, "%s: malformed or truncated .BTF section", path);
				rc = -EINVAL;
			}
			if (fd >= 0)
				close(fd);
		}
		if (rc)
			goto out_fail;
		return 0;
	}
	if (!want_btf) {
		snprintf(err, errlen, "%s: not an ELF object", path);
		rc = -EINVAL;
		goto out_fail;
	}
	rc = kfile__open_image(k, head, (size_t)n, path, err, errlen);
	if (rc)
		goto out_fail;
	return 0;
out_fail:
	kfile__close(k);
	return rc;
}

void kfile__close(struct kfile *k)
{
	free(k->path);
	k->path = NULL;
	if (k->tmpdir) {
		tmpdir__remove(k->tmpdir);
		free(k->tmpdir);
		k->tmpdir = NULL;
	}
}

/* Read the BTF blob of k (raw file, carved file, or the .BTF section of an ELF). */
static int kfile__read_btf(const struct kfile *k, unsigned char **buf, size_t *len)
{
	uint64_t off = k->kind == KFILE_ELF ? k->elf.btf_off : 0, size;
	struct stat st;
	int fd = open(k->path, O_RDONLY | O_CLOEXEC), rc = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		rc = -errno;
		goto out;
	}
	size = k->kind == KFILE_ELF ? k->elf.btf_size : (uint64_t)st.st_size;
	if (size < BTF_HDR_MIN || size > (1u << 30)) {
		rc = -EINVAL;
		goto out;
	}
	*buf = malloc(size);
	if (!*buf) {
		rc = -ENOMEM;
		goto out;
	}
	/* sysfs hands out a blob in pieces */
	for (uint64_t got = 0; got < size; got += (uint64_t)n) {
		n = pread(fd, *buf + got, size - got, (off_t)(off + got));
		if (n <= 0) {
			free(*buf);
			*buf = NULL;
			rc = n < 0 ? -errno : -EINVAL;
			goto out;
		}
	}
	*len = size;
out:
	close(fd);
	return rc;
}

int kfile__btf_strings_lack(const struct kfile *k, const char *const *names, size_t n,
			    bool *absent)
{
	unsigned char *buf = NULL;
	size_t len = 0;
	uint64_t hdr, soff, slen;
	int rc = kfile__read_btf(k, &buf, &len);

	if (rc)
		return rc;
	hdr = le32(buf + 4);
	soff = hdr + le32(buf + 16);
	slen = le32(buf + 20);
	if (btf__claimed_size(buf, len) == 0 || soff + slen > len) {
		free(buf);
		return -EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		/* "\0name\0": the name as a whole string of the string section */
		size_t nl = strlen(names[i]);
		const unsigned char *s = buf + soff, *end = s + slen, *p = s;
		bool found = false;

		while (!found && p < end && (p = memmem(p, (size_t)(end - p), names[i], nl)) != NULL) {
			found = (p == s || p[-1] == '\0') && p + nl < end && p[nl] == '\0';
			p++;
		}
		absent[i] = !found;
	}
	free(buf);
	return 0;
}

bool kfile__is_image(const char *path, const unsigned char *head, size_t len)
{
	const char *b = strrchr(path, '/');

	b = b ? b + 1 : path;
	if ((len > 0x206 && memcmp(head + 0x202, "HdrS", 4) == 0) ||
	    arch__from_image(head, len))
		return true;
	return compression__tool(head, len) &&
	       (strstr(b, "vmlinu") || strstr(b, "Image") || strstr(b, "bzImage"));
}

/* The first token of a NUL- or blank-terminated string, malloc'd. */
static char *token__dup(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] && s[n] != ' ' && s[n] != '\n')
		n++;
	return n ? strndup(s, n) : NULL;
}

char *kfile__release(const char *path, const struct elf_info *e)
{
	unsigned char buf[4096];
	char *r = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	if (e && e->is_elf && e->has_modinfo && e->modinfo_size < (1u << 20)) {
		/* .modinfo: "key=value\0" strings; "vermagic=6.1.0-56-amd64 SMP ..." */
		char *mi = malloc(e->modinfo_size + 1);

		if (mi && pread(fd, mi, e->modinfo_size, (off_t)e->modinfo_off) ==
			  (ssize_t)e->modinfo_size) {
			mi[e->modinfo_size] = '\0';
			for (size_t i = 0; i < e->modinfo_size && !r; i += strlen(mi + i) + 1)
				if (strncmp(mi + i, "vermagic=", 9) == 0)
					r = token__dup(mi + i + 9, e->modinfo_size - i - 9);
		}
		free(mi);
	} else if ((n = pread(fd, buf, sizeof(buf), 0)) > 0x210 &&
		   memcmp(buf + 0x202, "HdrS", 4) == 0) {
		/* x86 boot protocol: kernel_version at 0x20e, an offset from 0x200 */
		size_t off = 0x200 + (size_t)(buf[0x20e] | buf[0x20f] << 8);
		char v[128];

		if (pread(fd, v, sizeof(v) - 1, (off_t)off) > 0) {
			v[sizeof(v) - 1] = '\0';
			r = token__dup(v, sizeof(v) - 1);
		}
	}
	close(fd);
	return r;
}
