/*
 * DOS path names as NT names: RtlDosPathNameToNtPathName_U and
 * RtlGetFullPathName_U. A relative name is resolved against the process's
 * current directory (its parameters' CurrentDirectory), "." and ".." are
 * folded, '/' is a separator; "\\?\" names are taken as they are.
 */
#include "ntdll_internal.h"

#define MAX_UNITS 32767

static const WCHAR *cur_dir(size_t *len)
{
	unsigned char *params = PEB_FIELD(unsigned char *, 0x20);
	UNICODE_STRING *us = (UNICODE_STRING *)(params + 0x38);

	*len = us->Length / 2;
	return us->Buffer;
}

static int sep(WCHAR c)
{
	return c == '\\' || c == '/';
}

/* name joined to what it is relative to, in tmp (its length, *rootp the root's), or 0 when it cannot be. */
static size_t join(const WCHAR *name, WCHAR *tmp, size_t *rootp)
{
	size_t t = 0, root, cl;
	const WCHAR *cd = cur_dir(&cl);

	/* what it is relative to, written into tmp, then the name */
	if (sep(name[0]) && sep(name[1])) { /* UNC or \\.\ */
		tmp[t++] = '\\';
		tmp[t++] = '\\';
		name += 2;
		root = 2;
		/* server and share belong to the root */
		for (int parts = 0; *name && parts < 2 && t < MAX_UNITS; parts++) {
			while (*name && !sep(*name) && t < MAX_UNITS)
				tmp[t++] = *name++;
			if (*name)
				tmp[t++] = '\\', name++;
		}
		root = t;
	} else if (name[0] && name[1] == ':') {
		tmp[t++] = name[0] >= 'a' && name[0] <= 'z' ? (WCHAR)(name[0] - 32) : name[0];
		tmp[t++] = ':';
		tmp[t++] = '\\';
		root = 3;
		name += 2;
		if (!sep(*name) && cl >= 3 && (cd[0] | 32) == (tmp[0] | 32)) /* "C:rel": the current directory of C: */
			for (size_t i = 3; i < cl && t < MAX_UNITS; i++)
				tmp[t++] = cd[i];
	} else if (sep(name[0])) { /* rooted: the current drive */
		if (cl < 2)
			return 0;
		tmp[t++] = cd[0];
		tmp[t++] = cd[1];
		tmp[t++] = '\\';
		root = 3;
	} else {
		if (cl < 3)
			return 0;
		for (size_t i = 0; i < cl && t < MAX_UNITS; i++)
			tmp[t++] = cd[i];
		root = cd[0] == '\\' ? 2 : 3;
	}
	if (t && !sep(tmp[t - 1]) && t < MAX_UNITS)
		tmp[t++] = '\\';
	while (*name && t < MAX_UNITS)
		tmp[t++] = *name++;
	if (t >= MAX_UNITS)
		return 0;
	tmp[t] = 0;
	*rootp = root;
	return t;
}

/* tmp (t units, a root of root units) with ".", ".." and repeated separators folded, into out (cap units). */
static size_t fold(const WCHAR *tmp, size_t t, size_t root, WCHAR *out, size_t cap)
{
	size_t n, start;

	/* fold ".", "..", repeated separators */
	if (root > cap)
		return 0;
	for (n = 0; n < root; n++)
		out[n] = sep(tmp[n]) ? '\\' : tmp[n];
	start = root;
	for (size_t i = root; i < t;) {
		size_t j = i;

		while (j < t && !sep(tmp[j]))
			j++;
		if (j == i || (j - i == 1 && tmp[i] == '.')) {
			/* nothing */
		} else if (j - i == 2 && tmp[i] == '.' && tmp[i + 1] == '.') {
			if (n > start) {
				n--; /* the separator before it */
				while (n > start && out[n - 1] != '\\')
					n--;
			}
		} else {
			if (n > start && out[n - 1] != '\\') {
				if (n + 1 >= cap)
					return 0;
				out[n++] = '\\';
			}
			if (n + (j - i) + 1 >= cap)
				return 0;
			for (size_t k = i; k < j; k++)
				out[n++] = tmp[k];
		}
		if (j < t && j + 1 == t && n > start && out[n - 1] != '\\' && n + 1 < cap)
			out[n++] = '\\'; /* a trailing separator stays */
		i = j + 1;
	}
	out[n] = 0;
	return n;
}

/*
 * The full DOS path of name in out (cap units): its length, or 0 for a name that cannot be one. *root_len gets
 * how much of it is a root that ".." does not climb out of ("C:\", "\\server\share\").
 */
static size_t full_path(const WCHAR *name, WCHAR *out, size_t cap, size_t *root_len)
{
	WCHAR *tmp;
	size_t t, n = 0;

	if (!name || !name[0])
		return 0;
	/* on the heap: a thread's stack may be small */
	tmp = RtlAllocateHeap(PROCESS_HEAP(), 0, (MAX_UNITS + 1) * sizeof(WCHAR));
	if (!tmp)
		return 0;
	t = join(name, tmp, root_len);
	if (t)
		n = fold(tmp, t, *root_len, out, cap);
	RtlFreeHeap(PROCESS_HEAP(), 0, tmp);
	return n;
}

EXPORT ULONG RtlGetFullPathName_U(const WCHAR *name, ULONG size, WCHAR *buf, WCHAR **file_part)
{
	WCHAR *full = RtlAllocateHeap(PROCESS_HEAP(), 0, (MAX_UNITS + 1) * sizeof(WCHAR));
	size_t root, n = full ? full_path(name, full, MAX_UNITS + 1, &root) : 0;

	if (file_part)
		*file_part = NULL;
	if (!n || (n + 1) * 2 > size) {
		RtlFreeHeap(PROCESS_HEAP(), 0, full);
		return n ? (ULONG)((n + 1) * 2) : 0; /* too small a buffer: the size needed, in bytes */
	}
	memcpy(buf, full, (n + 1) * 2);
	RtlFreeHeap(PROCESS_HEAP(), 0, full);
	if (file_part && buf[n - 1] != '\\') {
		size_t k = n;

		while (k && buf[k - 1] != '\\')
			k--;
		*file_part = buf + k;
	}
	return (ULONG)(n * 2);
}

/* The NT name of dos into nt (a heap string); full is scratch room of MAX_UNITS + 1 units. */
static unsigned char to_nt(const WCHAR *dos, UNICODE_STRING *nt, WCHAR **file_part, WCHAR *full)
{
	size_t n = 0, root, k = 0;
	WCHAR *buf;

	if (sep(dos[0]) && sep(dos[1]) && (dos[2] == '?' || dos[2] == '.') && sep(dos[3])) {
		/* \\?\ and \\.\: the rest is the NT name under \??\, as it is */
		for (n = 0; dos[4 + n] && n < MAX_UNITS - 8; n++)
			full[n] = dos[4 + n];
		full[n] = 0;
		k = 0;
	} else if ((n = pv_dos_device(dos, full)) != 0) {
		k = 0; /* a DOS device, wherever the name puts it: \??\NUL */
	} else {
		n = full_path(dos, full, MAX_UNITS + 1, &root);
		if (!n)
			return 0;
		if (full[0] == '\\' && full[1] == '\\')
			k = 2; /* UNC: \??\UNC\server\share */
	}
	buf = RtlAllocateHeap(PROCESS_HEAP(), 0, (n + 8) * 2);
	if (!buf)
		return 0;
	{
		size_t o = 0;

		pv_wcat_a(buf, n + 8, &o, k ? "\\??\\UNC\\" : "\\??\\");
		memcpy(buf + o, full + k, (n - k + 1) * 2);
		o += n - k;
		nt->Buffer = buf;
		nt->Length = (uint16_t)(o * 2);
		nt->MaximumLength = (uint16_t)((n + 8) * 2);
		if (file_part && o && buf[o - 1] != '\\') {
			size_t f = o;

			while (f && buf[f - 1] != '\\')
				f--;
			*file_part = buf + f;
		}
	}
	return 1;
}

EXPORT unsigned char RtlDosPathNameToNtPathName_U(const WCHAR *dos, UNICODE_STRING *nt, WCHAR **file_part,
						   void *relative)
{
	WCHAR *full;
	unsigned char ok;

	(void)relative;
	if (file_part)
		*file_part = NULL;
	if (!dos || !nt)
		return 0;
	/* on the heap: a thread's stack may be small */
	full = RtlAllocateHeap(PROCESS_HEAP(), 0, (MAX_UNITS + 1) * sizeof(WCHAR));
	if (!full)
		return 0;
	ok = to_nt(dos, nt, file_part, full);
	RtlFreeHeap(PROCESS_HEAP(), 0, full);
	return ok;
}

EXPORT void RtlFreeUnicodeString(UNICODE_STRING *s)
{
	if (s && s->Buffer)
		RtlFreeHeap(PROCESS_HEAP(), 0, s->Buffer);
	if (s) {
		s->Buffer = NULL;
		s->Length = s->MaximumLength = 0;
	}
}
