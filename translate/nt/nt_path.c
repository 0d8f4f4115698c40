/*
 * NT object names to host paths (docs/nt.md, "Paths and drives"): \??\X:\... and
 * \DosDevices\X:\... through the drive map, names relative to a directory
 * handle, components checked as NT checks them, and OBJ_CASE_INSENSITIVE
 * lookups that find the host file whatever its case (its own case is kept).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "nt_file.h"
#include "nt_internal.h"
#include "path_walk.h"
#include "trace_out.h"
#include "util.h"

#define OBJ_CASE_INSENSITIVE 0x40
#define NT_MAX_NAME_UNITS 32767
#define NT_MAX_COMPONENT 255

/* One code point of UTF-8 at *s (advanced), folded to lower case as NT's upcase table does for these scripts. */
static uint32_t fold_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = *p++;

	if (c >= 0xc0 && c < 0xe0 && (*p & 0xc0) == 0x80)
		c = (c & 0x1f) << 6 | (*p++ & 0x3f);
	else if (c >= 0xe0 && c < 0xf0 && (p[0] & 0xc0) == 0x80 && (p[1] & 0xc0) == 0x80)
		c = (c & 0x0f) << 12 | (p[0] & 0x3f) << 6 | (p[1] & 0x3f), p += 2;
	*s = p;
	if ((c >= 'A' && c <= 'Z') || (c >= 0xc0 && c <= 0xde && c != 0xd7) || (c >= 0x391 && c <= 0x3a9) ||
	    (c >= 0x410 && c <= 0x42f))
		return c + 0x20;
	if (c >= 0x400 && c <= 0x40f)
		return c + 0x50;
	return c;
}

int nt_name_casecmp(const char *a, const char *b)
{
	const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;

	while (*p && *q) {
		uint32_t x = fold_next(&p), y = fold_next(&q);

		if (x != y)
			return x < y ? -1 : 1;
	}
	return *p ? 1 : *q ? -1 : 0;
}

/*
 * FsRtlIsNameInExpression: * ? and the DOS wildcards < (a run that does not
 * take the name's last dot), > (one character that is not a dot; nothing at
 * a dot or the end), " (a dot, or nothing at the end). Matched by following
 * every mask position the name can have reached at once (an NFA), never by
 * backtracking: at most 2 x (mask + 1) x (name + 1) steps, whatever the mask
 * (`*a*a*a...*b` took minutes with backtracking). Masks and names are
 * components: longer than NT_WILDCARD_MAX code points they match nothing.
 */
static size_t folded(const char *s, uint32_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		if (n == max)
			return max + 1;
		out[n++] = fold_next(&p);
	}
	return n;
}

/* The positions reachable without taking a character, at name position p (n: the end). */
static void close_over(bool *set, const uint32_t *mk, size_t m, const uint32_t *nm, size_t p, size_t n,
		       size_t *work)
{
	for (size_t i = 0; i < m; i++) {
		if (!set[i])
			continue;
		++*work;
		if (mk[i] == '*' || mk[i] == '<' || (mk[i] == '>' && (p == n || nm[p] == '.')) || (mk[i] == '"' && p == n))
			set[i + 1] = true;
	}
}

bool nt_wildcard_match_work(const char *mask, const char *name, size_t *work)
{
	uint32_t mk[NT_WILDCARD_MAX], nm[NT_WILDCARD_MAX] = { 0 };
	bool a[NT_WILDCARD_MAX + 1], b[NT_WILDCARD_MAX + 1], *cur = a, *next = b, any;
	size_t m, n, last_dot = SIZE_MAX, spent = 0;

	if (!work)
		work = &spent;
	*work = 0;
	if (!mask || !*mask)
		return true;
	m = folded(mask, mk, NT_WILDCARD_MAX);
	n = folded(name, nm, NT_WILDCARD_MAX);
	if (m > NT_WILDCARD_MAX || n > NT_WILDCARD_MAX)
		return false;
	for (size_t p = 0; p < n; p++)
		if (nm[p] == '.')
			last_dot = p;
	memset(cur, 0, (m + 1) * sizeof(*cur));
	cur[0] = true;
	close_over(cur, mk, m, nm, 0, n, work);
	for (size_t p = 0; p < n; p++) {
		memset(next, 0, (m + 1) * sizeof(*next));
		any = false;
		for (size_t i = 0; i < m; i++) {
			uint32_t k = mk[i];

			if (!cur[i])
				continue;
			++*work;
			if (k == '*' || (k == '<' && p != last_dot))
				next[i] = any = true;
			else if (k == '?' || (k == '>' && nm[p] != '.') || (k == '"' && nm[p] == '.') ||
				 (k != '*' && k != '<' && k != '>' && k != '"' && k == nm[p]))
				next[i + 1] = any = true;
		}
		if (!any)
			return false;
		close_over(next, mk, m, nm, p + 1, n, work);
		{
			bool *x = cur;
			cur = next;
			next = x;
		}
	}
	return cur[m];
}

bool nt_wildcard_match(const char *mask, const char *name)
{
	return nt_wildcard_match_work(mask, name, NULL);
}

void nt_lookup_free(struct nt_lookup *l)
{
	free(l->host);
	free(l->nt_name);
	memset(l, 0, sizeof(*l));
}

/*
 * The entry of dir whose name equals want ignoring case: its real name
 * (malloc'd), or NULL. dir was reached without a symlink and is opened
 * again without following one (a symlink swapped in since lists nothing),
 * so only directories beneath a drive's root are listed. They are listed
 * with the supervisor's rights: what that tells a program is docs/nt.md's
 * ("Paths and drives").
 */
static char *find_case_insensitive(const char *dir, const char *want)
{
	struct open_how how = { .flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
				.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS };
	int fd = (int)syscall(SYS_openat2, AT_FDCWD, dir, &how, sizeof(how));
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	char *found = NULL;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((e = readdir(d)))
		if (nt_name_casecmp(e->d_name, want) == 0) {
			found = xstrdup(e->d_name);
			break;
		}
	closedir(d);
	return found;
}

ntstatus nt_get_ustr(struct tracee *t, uint64_t us_addr, uint16_t **units, size_t *n)
{
	unsigned char us[16];
	uint16_t len;
	uint64_t buf;

	*units = NULL;
	*n = 0;
	if (!us_addr)
		return STATUS_SUCCESS;
	if (nt_get(t, us_addr, us, sizeof(us)))
		return STATUS_ACCESS_VIOLATION;
	memcpy(&len, us, 2);
	memcpy(&buf, us + 8, 8);
	if (len % 2)
		return STATUS_OBJECT_NAME_INVALID;
	*units = xmalloc(len + 2u);
	if (nt_get(t, buf, *units, len)) {
		free(*units);
		*units = NULL;
		return STATUS_ACCESS_VIOLATION;
	}
	*n = len / 2;
	return STATUS_SUCCESS;
}

static bool has_prefix(const uint16_t *u, size_t n, const char *prefix, bool fold)
{
	size_t k = strlen(prefix);

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		uint16_t c = u[i];
		if (fold && c >= 'A' && c <= 'Z')
			c += 32;
		if (c != (uint16_t)(fold && prefix[i] >= 'A' && prefix[i] <= 'Z' ? prefix[i] + 32 : prefix[i]))
			return false;
	}
	return true;
}

char *nt_units_utf8(const uint16_t *u, size_t n)
{
	size_t len = nt_utf16_to_utf8(u, n, NULL, 0);
	char *s = xmalloc(len + 1);

	nt_utf16_to_utf8(u, n, s, len);
	s[len] = 0;
	return s;
}

/* The NT namespace's policy for the walker (include/path_walk.h). */
struct nt_walk_names {
	const size_t *units;   /* each component's length in UTF-16 units, in order */
	size_t next, count;
	bool invalid;          /* a component NT does not take as a name */
};

/* Empty, too long, "." and "..": not names in NT (STATUS_OBJECT_NAME_INVALID), wherever they stand. */
static int nt_check_name(void *ctx, const char *comp, size_t len)
{
	struct nt_walk_names *c = ctx;
	size_t units = c->next < c->count ? c->units[c->next] : 0;

	c->next++;
	if (len == 0 || units > NT_MAX_COMPONENT || (len == 1 && comp[0] == '.') ||
	    (len == 2 && comp[0] == '.' && comp[1] == '.')) {
		c->invalid = true;
		return -EINVAL;
	}
	return 0;
}

static char *nt_find_entry(void *ctx, const char *dir, const char *comp)
{
	(void)ctx;
	return find_case_insensitive(dir, comp);
}

/* Walk the components of rest below host dir base, filling out. */
static ntstatus walk(const char *base, const char *nt_base, const uint16_t *rest, size_t n, bool fold,
		     struct nt_lookup *out)
{
	struct strbuf path = { 0 }, ntn = { 0 };
	size_t *units = xcalloc(n + 1, sizeof(*units)), count = 0, i = 0;
	struct nt_walk_names names = { .units = units };
	/* Below a drive root or a directory handle: nothing followed, names found ignoring case if asked. */
	struct path_walk w = {
		.root = "/", .flags = WALK_FOLLOW_LAST | WALK_NO_SYMLINKS | WALK_EVERY_SEPARATOR, .ctx = &names,
		.check_name = nt_check_name, .find_entry = fold ? nt_find_entry : NULL,
	};
	char *name = xmalloc(PATH_MAX);
	const char *below;
	ntstatus st = STATUS_SUCCESS;
	int rc;

	for (size_t k = 0; k < n; k++)
		if (rest[k] < 32 || rest[k] == '*' || rest[k] == '?' || rest[k] == '<' || rest[k] == '>' || rest[k] == '|' ||
		    rest[k] == '"' || rest[k] == '/') {
			st = STATUS_OBJECT_NAME_INVALID;
			goto out;
		}
	if (n && rest[n - 1] == '\\') {
		out->trailing_slash = true;
		n--;
	}
	/* The components as UTF-8 (none can hold a '/'), one '/' for each '\\', empty ones kept for the check. */
	for (;;) {
		size_t j = i;
		char *comp;

		while (j < n && rest[j] != '\\')
			j++;
		comp = nt_units_utf8(rest + i, j - i);
		sb_puts(&path, comp);
		free(comp);
		units[count++] = j - i;
		if (j >= n)
			break;
		sb_putc(&path, '/');
		i = j + 1;
	}
	names.count = count;
	if (strlen(base) >= PATH_MAX) {
		st = STATUS_NAME_TOO_LONG;
		goto out;
	}
	strcpy(name, base);
	sb_putc(&path, '\0');
	rc = path_walk(&w, path.data, name, NULL);
	if (names.invalid) {
		st = STATUS_OBJECT_NAME_INVALID;
		goto out;
	}
	if (w.symlink) {
		st = STATUS_ACCESS_DENIED; /* a symlink is never followed, inside the drive or out of it (docs/nt.md) */
		goto out;
	}
	if (rc < 0) {
		st = rc == -ENOENT || rc == -ENOTDIR ? STATUS_OBJECT_PATH_NOT_FOUND : nt_status_of_errno(rc);
		goto out;
	}
	out->exists = w.exists;
	out->is_dir = w.is_dir;
	if (out->trailing_slash && out->exists && !out->is_dir) {
		st = STATUS_OBJECT_NAME_INVALID;
		goto out;
	}
	/* The NT name: the base's, then the components as found (their real case), joined by '\\'. */
	sb_puts(&ntn, nt_base);
	below = name + strlen(base);
	if (strcmp(base, "/") == 0)
		below = name;
	for (const char *p = below; *p;) {
		size_t len;

		while (*p == '/')
			p++;
		if (!*p)
			break;
		len = strcspn(p, "/");
		if (ntn.len == 0 || ntn.data[ntn.len - 1] != '\\')
			sb_putc(&ntn, '\\');
		sb_put(&ntn, p, len);
		p += len;
	}
	if (ntn.len == 0)
		sb_putc(&ntn, '\\');
	out->host = xstrdup(name);
	out->nt_name = xstrdup(ntn.data);
out:
	free(units);
	free(name);
	sb_free(&path);
	sb_free(&ntn);
	return st;
}

/*
 * A drive's volume name, Volume{5069636f-7669-736f-7200-0000000000XX} with XX the letter's code in hex (what
 * kernel32's FindFirstVolumeW gives; NT's are symbolic links to the volume's device): the letter and the units
 * the name takes, or 0.
 */
char nt_volume_drive(const uint16_t *u, size_t n, size_t *used)
{
	static const char prefix[] = "Volume{5069636f-7669-736f-7200-0000000000";
	size_t k = sizeof(prefix) - 1;
	unsigned v = 0;

	if (n < k + 3 || !has_prefix(u, n, prefix, true) || u[k + 2] != '}')
		return 0;
	for (size_t i = k; i < k + 2; i++) {
		uint16_t c = u[i];

		if (c >= '0' && c <= '9')
			v = v * 16 + (c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v * 16 + (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = v * 16 + (c - 'A' + 10);
		else
			return 0;
	}
	if (v < 'A' || v > 'Z')
		return 0;
	*used = k + 3;
	return (char)v;
}

ntstatus nt_path_resolve(struct tracee *t, uint64_t root, const uint16_t *u, size_t n, bool fold,
			 struct nt_lookup *out)
{
	memset(out, 0, sizeof(*out));
	if (n > NT_MAX_NAME_UNITS)
		return STATUS_OBJECT_NAME_INVALID;
	if (root) {
		struct nt_object *o;
		ntstatus st = nt_handle_get(nt_process_of(t), root, NT_TYPE_FILE, &o, NULL);

		if (st)
			return st;
		if ((n && u[0] == '\\') || !o->file.host)
			return STATUS_INVALID_PARAMETER;
		/* A file where a directory should be, as in C:\\file.txt\\x (FAT's create does the same with a
		 * file as the related object). An empty name (the file itself again) is not served. */
		if (!o->file.is_dir)
			return n ? STATUS_OBJECT_PATH_NOT_FOUND : STATUS_INVALID_PARAMETER;
		{
			/* Below the directory the handle holds, where it is now: not the name it was opened by. */
			char *here = nt_fd_path(t, o->file.fd);
			ntstatus st2;

			if (!here)
				return STATUS_OBJECT_PATH_NOT_FOUND;
			st2 = walk(here, o->file.nt_name ? o->file.nt_name : "", u, n, fold, out);
			free(here);
			return st2;
		}
	}
	if (n == 0 || u[0] != '\\')
		return STATUS_OBJECT_PATH_SYNTAX_BAD;
	{
		size_t skip;
		const char *drive;

		if (has_prefix(u, n, "\\??\\", false))
			skip = 4;
		else if (has_prefix(u, n, "\\DosDevices\\", true))
			skip = 12;
		else
			return STATUS_OBJECT_PATH_NOT_FOUND; /* \Device\... and other native names are not served */
		if (n == skip + 3 && has_prefix(u + skip, 3, "NUL", true)) {
			/* the null device (\??\NUL, what ntdll makes of "C:\dir\nul"): the host's; the other DOS
			 * devices (CON, AUX, COM1...) are not served */
			out->host = xstrdup("/dev/null");
			out->nt_name = xstrdup("\\NUL");
			out->exists = true;
			return STATUS_SUCCESS;
		}
		{
			size_t used = 0;
			char letter = nt_volume_drive(u + skip, n - skip, &used);

			if (letter) {
				skip += used; /* \??\Volume{...}: the drive kernel32's FindFirstVolumeW named so */
			} else if (n >= skip + 2 && u[skip + 1] == ':' && u[skip] <= 0x7f) {
				letter = (char)u[skip];
				skip += 2;
			}
			if (!letter || !(drive = nt_drive_host(letter)))
				return STATUS_OBJECT_PATH_NOT_FOUND;
		}
		if (n > skip && u[skip] != '\\')
			return STATUS_OBJECT_NAME_INVALID;
		if (n > skip)
			skip++; /* the separator after X: */
		for (size_t i = skip; i < n; i++)
			if (u[i] == ':') /* alternate data streams are not served */
				return STATUS_OBJECT_NAME_INVALID;
		return walk(drive, "", u + skip, n - skip, fold, out);
	}
}

ntstatus nt_oa_plain_name(struct tracee *t, uint64_t oa_addr, uint16_t **u, size_t *n)
{
	unsigned char oa[0x30];
	uint64_t root, name;

	*u = NULL;
	*n = 0;
	if (!oa_addr || nt_get(t, oa_addr, oa, sizeof(oa)))
		return STATUS_ACCESS_VIOLATION;
	memcpy(&root, oa + 8, 8);
	memcpy(&name, oa + 0x10, 8);
	if (root)
		return STATUS_OBJECT_NAME_INVALID;
	return nt_get_ustr(t, name, u, n);
}

bool nt_name_is(const uint16_t *u, size_t n, const char *name)
{
	size_t k = strlen(name);

	if (n != k)
		return false;
	for (size_t i = 0; i < k; i++) {
		uint16_t a = u[i] >= 'A' && u[i] <= 'Z' ? (uint16_t)(u[i] + 32) : u[i];
		uint16_t b = name[i] >= 'A' && name[i] <= 'Z' ? (uint16_t)(name[i] + 32) : (uint16_t)(unsigned char)name[i];
		if (a != b)
			return false;
	}
	return true;
}

ntstatus nt_path_lookup(struct tracee *t, uint64_t oa_addr, struct nt_lookup *out)
{
	unsigned char oa[0x30];
	uint64_t root, name;
	uint32_t attrs;
	uint16_t *u = NULL;
	size_t n = 0;
	ntstatus st;

	memset(out, 0, sizeof(*out));
	if (!oa_addr || nt_get(t, oa_addr, oa, sizeof(oa)))
		return STATUS_ACCESS_VIOLATION;
	memcpy(&root, oa + 8, 8);
	memcpy(&name, oa + 0x10, 8);
	memcpy(&attrs, oa + 0x18, 4);
	st = nt_get_ustr(t, name, &u, &n);
	if (!st)
		st = nt_path_resolve(t, root, u, n, attrs & OBJ_CASE_INSENSITIVE, out);
	free(u);
	if (st)
		nt_lookup_free(out);
	return st;
}
