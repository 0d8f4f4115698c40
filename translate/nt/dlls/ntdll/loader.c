/*
 * The PE loader of picovisor's ntdll: it maps DLLs in user mode, as the
 * program itself, with the program's rights. A DLL file is opened with
 * NtOpenFile (searched for in the program's directory, then picovisor's system
 * directory C:\Windows\System32, whose DLLs picovisor serves from its own
 * copies, then PATH), read with NtReadFile into memory reserved at its
 * preferred base (elsewhere, and relocated, when that is taken), linked, and
 * given its sections' protections. Imports by name and by ordinal, data
 * imports, forwarders (api-ms-win-* sets and kernelbase.dll are kernel32.dll
 * here), the static TLS of DLLs and their callbacks, and DllMain for process
 * and thread attach and detach in dependency order, under the loader lock.
 * A DLL or an export that cannot be found ends the program at start with its
 * NT status and a message on stderr naming both.
 */
#include "ntdll_internal.h"

#define DLL_PROCESS_DETACH 0
#define DLL_PROCESS_ATTACH 1
#define DLL_THREAD_ATTACH 2
#define DLL_THREAD_DETACH 3

#define FILE_READ_DATA 0x1
#define FILE_READ_ATTRIBUTES 0x80
#define SYNCHRONIZE 0x100000
#define FILE_SHARE_READ 1
#define FILE_SHARE_DELETE 4
#define FILE_SYNCHRONOUS_IO_NONALERT 0x20
#define FILE_NON_DIRECTORY_FILE 0x40
#define OBJ_CASE_INSENSITIVE 0x40

#define MAX_PATH_UNITS 520
#define MAX_NAME_UNITS 128
#define MAX_FORWARDS 8

typedef BOOL (*dll_entry_fn)(void *base, ULONG reason, void *reserved);
typedef void (*tls_callback_fn)(void *base, ULONG reason, void *reserved);

struct module {
	struct module *next;          /* in load order */
	unsigned char *base;
	size_t size;
	WCHAR name[MAX_NAME_UNITS];   /* the file's name, "kernel32.dll" */
	WCHAR path[MAX_PATH_UNITS];   /* its DOS path */
	long refs;
	dll_entry_fn entry;
	struct module **deps;         /* what its imports loaded (one reference each) */
	int ndeps;
	int init_order;               /* 0: not initialised; else its place in the initialisation order */
	int is_dll, static_load, no_thread_calls, attached;
	long tls_index;               /* -1: no TLS */
	uint64_t tls_start, tls_end;
	uint32_t tls_zero_fill;
	tls_callback_fn *tls_callbacks;
	void *ldr;                    /* its LDR_DATA_TABLE_ENTRY in PEB->Ldr (ldr_list.c) */
};

static struct module *modules, *exe, *ntdll_mod;
static RTL_CRITICAL_SECTION loader_lock;
static int next_init_order = 1;
static long tls_slots = 1;            /* index 0 is the program's own (picovisor sets it up) */
static int process_started;

extern unsigned char __ImageBase[];

/* What the supervisor leaves for LdrInitializeThunk (tracer/load/pe_load.c, translate/nt/nt_env.c). */
struct pv_process_start {
	void *image_base;
	NTSTATUS (*entry)(void *peb);
	void *peb;
	tls_callback_fn *tls_callbacks;
};

/* ---- The image's headers */

static uint32_t rd32(const unsigned char *p)
{
	return *(const uint32_t *)p;
}

static unsigned char *opt_header(const struct module *m)
{
	return m->base + rd32(m->base + 0x3c) + 24;
}

/* Data directory i of a mapped image: its address, with its size in *size (0: none). */
static unsigned char *directory(const struct module *m, int i, uint32_t *size)
{
	unsigned char *o = opt_header(m);
	uint32_t rva, n;

	if (rd32(o + 0x6c) <= (uint32_t)i)
		return NULL;
	rva = rd32(o + 0x70 + i * 8);
	n = rd32(o + 0x74 + i * 8);
	if (!n || !rva || (uint64_t)rva + n > m->size)
		return NULL;
	if (size)
		*size = n;
	return m->base + rva;
}

/* A NUL-terminated string at rva inside the image, or NULL. */
static const char *image_str(const struct module *m, uint32_t rva)
{
	if (rva == 0 || rva >= m->size)
		return NULL;
	for (size_t i = rva; i < m->size; i++)
		if (!m->base[i])
			return (const char *)m->base + rva;
	return NULL;
}

/* ---- Messages */

static void msg_w(char *buf, size_t cap, size_t *n, const WCHAR *w)
{
	for (; *w && *n + 1 < cap; w++)
		buf[(*n)++] = *w < 0x80 ? (char)*w : '?';
	buf[*n] = 0;
}

static void msg_a(char *buf, size_t cap, size_t *n, const char *a)
{
	while (*a && *n + 1 < cap)
		buf[(*n)++] = *a++;
	buf[*n] = 0;
}

static void msg_u(char *buf, size_t cap, size_t *n, unsigned v)
{
	char d[12];
	int k = 0;

	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10) && k < 11);
	while (k && *n + 1 < cap)
		buf[(*n)++] = d[--k];
	buf[*n] = 0;
}

/* What the last failure was, for the message that ends a program whose start failed. */
static struct {
	NTSTATUS status;
	WCHAR dll[MAX_NAME_UNITS];
	char function[256];
	unsigned ordinal;
	WCHAR importer[MAX_NAME_UNITS];
} failure;

static void wcopy(WCHAR *dst, size_t cap, const WCHAR *src)
{
	size_t n = 0;

	dst[0] = 0;
	pv_wcat_w(dst, cap, &n, src);
}

static NTSTATUS fail(NTSTATUS st, const WCHAR *dll, const char *function, unsigned ordinal, const struct module *importer)
{
	if (failure.status)
		return st; /* the first, deepest failure is the one named */
	failure.status = st;
	wcopy(failure.dll, MAX_NAME_UNITS, dll ? dll : (const WCHAR *)u"");
	failure.function[0] = 0;
	if (function) {
		size_t n = 0;
		msg_a(failure.function, sizeof(failure.function), &n, function);
	}
	failure.ordinal = ordinal;
	wcopy(failure.importer, MAX_NAME_UNITS, importer ? importer->name : (const WCHAR *)u"");
	return st;
}

static void report_failure(void)
{
	char m[900];
	size_t n = 0;

	msg_a(m, sizeof(m), &n, "picovisor ntdll: ");
	switch (failure.status) {
	case STATUS_DLL_NOT_FOUND:
		msg_a(m, sizeof(m), &n, "the DLL ");
		msg_w(m, sizeof(m), &n, failure.dll);
		msg_a(m, sizeof(m), &n, " was not found (imported by ");
		msg_w(m, sizeof(m), &n, failure.importer);
		msg_a(m, sizeof(m), &n, ")");
		break;
	case STATUS_ENTRYPOINT_NOT_FOUND:
	case STATUS_ORDINAL_NOT_FOUND:
		msg_a(m, sizeof(m), &n, "the procedure entry point ");
		if (failure.function[0]) {
			msg_a(m, sizeof(m), &n, failure.function);
		} else {
			msg_a(m, sizeof(m), &n, "ordinal ");
			msg_u(m, sizeof(m), &n, failure.ordinal);
		}
		msg_a(m, sizeof(m), &n, " could not be located in the DLL ");
		msg_w(m, sizeof(m), &n, failure.dll);
		msg_a(m, sizeof(m), &n, " (imported by ");
		msg_w(m, sizeof(m), &n, failure.importer);
		msg_a(m, sizeof(m), &n, ")");
		break;
	case STATUS_DLL_INIT_FAILED:
		msg_a(m, sizeof(m), &n, "the initialization of the DLL ");
		msg_w(m, sizeof(m), &n, failure.dll);
		msg_a(m, sizeof(m), &n, " failed (its DllMain returned FALSE)");
		break;
	default:
		msg_a(m, sizeof(m), &n, "the DLL ");
		msg_w(m, sizeof(m), &n, failure.dll);
		msg_a(m, sizeof(m), &n, " could not be loaded (imported by ");
		msg_w(m, sizeof(m), &n, failure.importer);
		msg_a(m, sizeof(m), &n, "): not a valid x86-64 DLL");
		break;
	}
	msg_a(m, sizeof(m), &n, "\n");
	pv_write_stderr(m);
}

/* ---- Names */

/* The file name a DLL name stands for: api-ms-win-* sets and kernelbase.dll are kernel32.dll; ".dll" added when
 * the name has no extension. out gets the base name in lower case; the result says whether it had a path. */
static int normalise(const WCHAR *in, size_t len, WCHAR *out, size_t cap, WCHAR *path, size_t path_cap)
{
	size_t start = 0, n = 0, k = 0;
	int has_dot = 0, has_path = 0;
	static const char *const to_kernel32[] = { "api-ms-win-core-", "api-ms-win-security-", "api-ms-win-eventing-",
						   "ext-ms-win-", "kernelbase" };

	for (size_t i = 0; i < len; i++)
		if (in[i] == '\\' || in[i] == '/' || in[i] == ':') {
			start = i + 1;
			has_path = 1;
		}
	for (size_t i = start; i < len && n + 5 < cap; i++) {
		WCHAR c = pv_towlower(in[i]);

		if (c == '.')
			has_dot = 1;
		out[n++] = c;
	}
	out[n] = 0;
	if (!has_dot)
		pv_wcat_a(out, cap, &n, ".dll");
	if (path) {
		path[0] = 0;
		if (has_path)
			for (k = 0; k < len && k + 1 < path_cap; k++)
				path[k] = in[k] == '/' ? '\\' : in[k];
		path[k] = 0;
	}
	for (size_t s = 0; s < sizeof(to_kernel32) / sizeof(to_kernel32[0]); s++) {
		const char *p = to_kernel32[s];
		size_t i = 0;

		while (p[i] && out[i] == (WCHAR)p[i])
			i++;
		if (!p[i]) {
			n = 0;
			out[0] = 0;
			pv_wcat_a(out, cap, &n, "kernel32.dll");
			if (path)
				path[0] = 0;
			return 0;
		}
	}
	return has_path;
}

static struct module *find_loaded(const WCHAR *name)
{
	for (struct module *m = modules; m; m = m->next)
		if (!pv_wcsicmp(m->name, name))
			return m;
	return NULL;
}

static struct module *find_by_base(const void *base)
{
	for (struct module *m = modules; m; m = m->next)
		if (m->base == base)
			return m;
	return NULL;
}

/* ---- Finding and opening the file */

static NTSTATUS open_nt(const WCHAR *nt_path, HANDLE *h)
{
	UNICODE_STRING us = { (uint16_t)(pv_wcslen(nt_path) * 2), (uint16_t)(pv_wcslen(nt_path) * 2 + 2),
			      (WCHAR *)nt_path };
	OBJECT_ATTRIBUTES oa = { sizeof(oa), NULL, &us, OBJ_CASE_INSENSITIVE, NULL, NULL };
	IO_STATUS_BLOCK iosb;

	return NtOpenFile(h, FILE_READ_DATA | FILE_READ_ATTRIBUTES | SYNCHRONIZE, &oa, &iosb,
			  FILE_SHARE_READ | FILE_SHARE_DELETE, FILE_SYNCHRONOUS_IO_NONALERT | FILE_NON_DIRECTORY_FILE);
}

/* Open dir\name (dir a DOS path, len units of it); on success dos gets the DOS path. */
static NTSTATUS try_dir(const WCHAR *dir, size_t len, const WCHAR *name, HANDLE *h, WCHAR *dos)
{
	WCHAR nt[MAX_PATH_UNITS + 8];
	size_t n = 0, d = 0;

	if (!len || len + pv_wcslen(name) + 2 >= MAX_PATH_UNITS)
		return STATUS_DLL_NOT_FOUND;
	for (size_t i = 0; i < len; i++)
		dos[d++] = dir[i] == '/' ? '\\' : dir[i];
	if (dos[d - 1] != '\\')
		dos[d++] = '\\';
	dos[d] = 0;
	pv_wcat_w(dos, MAX_PATH_UNITS, &d, name);
	nt[0] = 0;
	if (dos[0] == '\\' && dos[1] == '\\' && dos[2] == '?' && dos[3] == '\\')
		pv_wcat_a(nt, MAX_PATH_UNITS + 8, &n, "\\??\\"), pv_wcat_w(nt, MAX_PATH_UNITS + 8, &n, dos + 4);
	else if (dos[0] && dos[1] == ':')
		pv_wcat_a(nt, MAX_PATH_UNITS + 8, &n, "\\??\\"), pv_wcat_w(nt, MAX_PATH_UNITS + 8, &n, dos);
	else
		return STATUS_DLL_NOT_FOUND; /* only absolute DOS paths are searched */
	return open_nt(nt, h);
}

static const WCHAR *param_ustr(size_t off, size_t *len)
{
	unsigned char *params = PEB_FIELD(unsigned char *, 0x20);
	UNICODE_STRING *us = (UNICODE_STRING *)(params + off);

	*len = us->Length / 2;
	return us->Buffer;
}

/* The value of PATH in the process's environment block, or NULL. */
static const WCHAR *env_path(void)
{
	unsigned char *params = PEB_FIELD(unsigned char *, 0x20);
	const WCHAR *e = *(const WCHAR **)(params + 0x80);

	while (e && *e) {
		if (pv_towlower(e[0]) == 'p' && pv_towlower(e[1]) == 'a' && pv_towlower(e[2]) == 't' &&
		    pv_towlower(e[3]) == 'h' && e[4] == '=')
			return e + 5;
		e += pv_wcslen(e) + 1;
	}
	return NULL;
}

/* The search: a name with a path is opened as it is; else the program's directory, the system directory, PATH. */
static NTSTATUS search(const WCHAR *name, const WCHAR *given_path, const WCHAR *dll_path, HANDLE *h, WCHAR *dos)
{
	size_t len, cut = 0;
	const WCHAR *img, *p;

	if (given_path && given_path[0]) {
		size_t n = pv_wcslen(given_path), slash = 0, cur_len;
		const WCHAR *cur;

		for (size_t i = 0; i < n; i++)
			if (given_path[i] == '\\')
				slash = i + 1;
		if (given_path[0] == '\\' || (given_path[0] && given_path[1] == ':'))
			return try_dir(given_path, slash, given_path + slash, h, dos);
		cur = param_ustr(0x38, &cur_len); /* relative: against the current directory */
		{
			WCHAR joined[MAX_PATH_UNITS];
			size_t j = 0;

			joined[0] = 0;
			for (size_t i = 0; i < cur_len && j + 1 < MAX_PATH_UNITS; i++)
				joined[j++] = cur[i];
			joined[j] = 0;
			if (j && joined[j - 1] != '\\')
				pv_wcat_a(joined, MAX_PATH_UNITS, &j, "\\");
			pv_wcat_w(joined, MAX_PATH_UNITS, &j, given_path);
			for (size_t i = 0; i < j; i++)
				if (joined[i] == '\\')
					slash = i + 1;
			return try_dir(joined, slash, joined + slash, h, dos);
		}
	}
	if (dll_path) {
		for (p = dll_path; *p;) {
			const WCHAR *q = p;

			while (*q && *q != ';')
				q++;
			if (!try_dir(p, (size_t)(q - p), name, h, dos))
				return STATUS_SUCCESS;
			p = *q ? q + 1 : q;
		}
	}
	img = param_ustr(0x60, &len);
	for (size_t i = 0; i < len; i++)
		if (img[i] == '\\')
			cut = i;
	if (cut && !try_dir(img, cut, name, h, dos))
		return STATUS_SUCCESS;
	if (!try_dir(u"C:\\Windows\\System32", 19, name, h, dos))
		return STATUS_SUCCESS;
	for (p = env_path(); p && *p;) {
		const WCHAR *q = p;

		while (*q && *q != ';')
			q++;
		if (!try_dir(p, (size_t)(q - p), name, h, dos))
			return STATUS_SUCCESS;
		p = *q ? q + 1 : q;
	}
	return STATUS_DLL_NOT_FOUND;
}

/* ---- Mapping */

static NTSTATUS read_at(HANDLE h, void *buf, uint32_t len, uint64_t off)
{
	IO_STATUS_BLOCK iosb;
	int64_t o = (int64_t)off;
	NTSTATUS st = NtReadFile(h, NULL, NULL, NULL, &iosb, buf, len, &o, NULL);

	if (st)
		return st;
	return iosb.Information == len ? STATUS_SUCCESS : STATUS_INVALID_IMAGE_FORMAT;
}

static ULONG section_protect(uint32_t ch)
{
	int r = ch & 0x40000000u, w = ch & 0x80000000u, x = ch & 0x20000000u;

	if (x)
		return w ? PAGE_EXECUTE_READWRITE : r ? PAGE_EXECUTE_READ : PAGE_EXECUTE;
	return w ? PAGE_READWRITE : r ? PAGE_READONLY : PAGE_NOACCESS;
}

static NTSTATUS relocate(struct module *m, uint64_t delta)
{
	uint32_t size, off = 0;
	unsigned char *d = directory(m, 5, &size);

	if (!delta || !d)
		return STATUS_SUCCESS;
	while (off + 8 <= size) {
		uint32_t page = rd32(d + off), bsize = rd32(d + off + 4);

		if (bsize < 8 || bsize > size - off)
			return STATUS_INVALID_IMAGE_FORMAT;
		for (uint32_t i = 8; i + 2 <= bsize; i += 2) {
			uint16_t e = *(uint16_t *)(d + off + i);
			uint64_t rva = (uint64_t)page + (e & 0xfff);

			if ((e >> 12) == 0)
				continue;
			if (rva + 8 > m->size)
				return STATUS_INVALID_IMAGE_FORMAT;
			if ((e >> 12) == 10)
				*(uint64_t *)(m->base + rva) += delta;
			else if ((e >> 12) == 3)
				*(uint32_t *)(m->base + rva) += (uint32_t)delta;
			else
				return STATUS_INVALID_IMAGE_FORMAT;
		}
		off += bsize;
	}
	return STATUS_SUCCESS;
}

/* The file's size (FileStandardInformation's EndOfFile), or 0. */
static uint64_t file_size(HANDLE h)
{
	IO_STATUS_BLOCK iosb;
	uint64_t std[3];

	if (NtQueryInformationFile(h, &iosb, std, sizeof(std), 5))
		return 0;
	return std[1];
}

/*
 * Read the image of file h into memory of its own: the module's base and size set, sections in place, relocated.
 * The whole file is read at once into a buffer of the heap (two calls whatever the number of sections).
 */
static NTSTATUS map_image(HANDLE h, struct module *m)
{
	uint64_t len = file_size(h);
	unsigned char *file, *o, *sec;
	uint32_t lfanew, size_of_image, size_of_headers, nsec, opt_size;
	uint64_t image_base;
	void *base;
	size_t size;
	NTSTATUS st = STATUS_INVALID_IMAGE_FORMAT;

	if (len < 0x200 || len > (1u << 30))
		return STATUS_INVALID_IMAGE_FORMAT;
	file = RtlAllocateHeap(PROCESS_HEAP(), 0, len);
	if (!file)
		return STATUS_NO_MEMORY;
	if (read_at(h, file, (uint32_t)len, 0))
		goto out;
	lfanew = rd32(file + 0x3c);
	if (file[0] != 'M' || file[1] != 'Z' || (uint64_t)lfanew + 24 + 0x70 > len || rd32(file + lfanew) != 0x4550)
		goto out;
	o = file + lfanew + 24;
	nsec = *(uint16_t *)(file + lfanew + 6);
	opt_size = *(uint16_t *)(file + lfanew + 20);
	if (*(uint16_t *)(file + lfanew + 4) != 0x8664 || *(uint16_t *)o != 0x20b || opt_size < 0x70 ||
	    (uint64_t)lfanew + 24 + opt_size + nsec * 40ULL > len || nsec == 0)
		goto out;
	image_base = *(uint64_t *)(o + 0x18);
	size_of_image = rd32(o + 0x38);
	size_of_headers = rd32(o + 0x3c);
	if (!size_of_image || size_of_image > (1u << 30) || size_of_headers > size_of_image || size_of_headers > len ||
	    (uint64_t)lfanew + 24 + opt_size + nsec * 40ULL > size_of_headers)
		goto out;
	base = (void *)image_base;
	size = size_of_image;
	if (NtAllocateVirtualMemory(CURRENT_PROCESS, &base, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)) {
		st = STATUS_CONFLICTING_ADDRESSES; /* RELOCS_STRIPPED: it cannot move */
		if (*(uint16_t *)(file + lfanew + 22) & 0x1)
			goto out;
		base = NULL;
		size = size_of_image;
		st = STATUS_NO_MEMORY;
		if (NtAllocateVirtualMemory(CURRENT_PROCESS, &base, 0, &size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE))
			goto out;
	}
	st = STATUS_INVALID_IMAGE_FORMAT;
	m->base = base;
	m->size = size_of_image;
	memcpy(m->base, file, size_of_headers);
	sec = file + lfanew + 24 + opt_size;
	for (uint32_t i = 0; i < nsec; i++, sec += 40) {
		uint32_t vsize = rd32(sec + 8), rva = rd32(sec + 12), raw = rd32(sec + 16), ptr = rd32(sec + 20);
		uint32_t n = raw < vsize || !vsize ? raw : vsize;

		if (!vsize)
			vsize = raw;
		if ((uint64_t)rva + vsize > size_of_image || (uint64_t)rva + n > size_of_image)
			goto bad;
		if ((uint64_t)ptr + n > len)
			n = ptr < len ? (uint32_t)(len - ptr) : 0; /* raw size rounded past the end: what the file has */
		if (n)
			memcpy(m->base + rva, file + ptr, n);
	}
	if (relocate(m, (uint64_t)m->base - image_base))
		goto bad;
	st = STATUS_SUCCESS;
	goto out;
bad:
	size = 0;
	NtFreeVirtualMemory(CURRENT_PROCESS, &base, &size, MEM_RELEASE);
	m->base = NULL;
out:
	RtlFreeHeap(PROCESS_HEAP(), 0, file);
	return st;
}

/*
 * Give each section its protection, the headers read-only. The image was made read-write: only what is not
 * read-write needs a call, and adjacent sections of one protection (.rdata, .pdata, .xdata...) share one.
 */
static void protect_sections(struct module *m)
{
	unsigned char *o = opt_header(m), *sec;
	uint16_t nsec = *(uint16_t *)(m->base + rd32(m->base + 0x3c) + 6);
	uint16_t opt_size = *(uint16_t *)(m->base + rd32(m->base + 0x3c) + 20);
	uint64_t run_lo = 0, run_hi = rd32(o + 0x3c);
	ULONG run_prot = PAGE_READONLY, old;

	sec = o + opt_size;
	for (int i = 0; i <= nsec; i++, sec += 40) {
		uint32_t vsize = i < nsec ? (rd32(sec + 8) ? rd32(sec + 8) : rd32(sec + 16)) : 0;
		uint64_t lo = i < nsec ? rd32(sec + 12) : m->size, hi = lo + vsize;
		ULONG prot = i < nsec ? section_protect(rd32(sec + 36)) : PAGE_READWRITE;

		if (i < nsec && !vsize)
			continue;
		if (prot == run_prot && ((lo - run_hi) & ~0xfffULL) == 0 && lo >= run_hi) {
			run_hi = hi; /* joins the run: the gap is within the page it ends in */
			continue;
		}
		if (run_prot != PAGE_READWRITE && run_hi > run_lo) {
			void *addr = m->base + run_lo;
			size_t size = run_hi - run_lo;

			NtProtectVirtualMemory(CURRENT_PROCESS, &addr, &size, run_prot, &old);
		}
		run_lo = lo;
		run_hi = hi;
		run_prot = prot;
	}
}

/* ---- Exports */

static NTSTATUS load(const WCHAR *name, size_t len, const WCHAR *dll_path, struct module *importer, int static_load,
		     struct module **out);

/* The address module m exports as name (or, name NULL, as ordinal), following forwarders. */
static NTSTATUS export_of(struct module *m, const char *name, uint16_t hint, unsigned ordinal, int depth, void **out,
			  struct module *importer)
{
	uint32_t dsize, nfuncs, nnames, base_ord, rva, index;
	unsigned char *ed = directory(m, 0, &dsize);
	const uint32_t *funcs, *names;
	const uint16_t *ords;

	if (!ed || dsize < 40)
		return fail(name ? STATUS_ENTRYPOINT_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND, m->name, name, ordinal, importer);
	base_ord = rd32(ed + 0x10);
	nfuncs = rd32(ed + 0x14);
	nnames = rd32(ed + 0x18);
	if ((uint64_t)rd32(ed + 0x1c) + nfuncs * 4ULL > m->size || (uint64_t)rd32(ed + 0x20) + nnames * 4ULL > m->size ||
	    (uint64_t)rd32(ed + 0x24) + nnames * 2ULL > m->size)
		return fail(STATUS_INVALID_IMAGE_FORMAT, m->name, name, ordinal, importer);
	funcs = (const uint32_t *)(m->base + rd32(ed + 0x1c));
	names = (const uint32_t *)(m->base + rd32(ed + 0x20));
	ords = (const uint16_t *)(m->base + rd32(ed + 0x24));
	if (name) {
		const char *n;
		uint32_t lo = 0, hi = nnames;

		index = (uint32_t)-1;
		if (hint < nnames && (n = image_str(m, names[hint])) && !strcmp(n, name)) {
			index = ords[hint];
		} else {
			while (lo < hi) { /* the names are sorted (the PE format requires it) */
				uint32_t mid = lo + (hi - lo) / 2;
				int c;

				n = image_str(m, names[mid]);
				if (!n)
					break;
				c = strcmp(n, name);
				if (!c) {
					index = ords[mid];
					break;
				}
				if (c < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
		}
		if (index == (uint32_t)-1)
			return fail(STATUS_ENTRYPOINT_NOT_FOUND, m->name, name, 0, importer);
	} else {
		index = ordinal - base_ord;
	}
	if (index >= nfuncs || !(rva = funcs[index]) || rva >= m->size)
		return fail(name ? STATUS_ENTRYPOINT_NOT_FOUND : STATUS_ORDINAL_NOT_FOUND, m->name, name, ordinal, importer);
	if (rva >= (uint32_t)(ed - m->base) && rva < (uint32_t)(ed - m->base) + dsize) {
		/* a forwarder: "DLL.Function" or "DLL.#ordinal" */
		const char *fwd = image_str(m, rva), *dot = NULL;
		WCHAR dll[MAX_NAME_UNITS];
		struct module *target;
		size_t n = 0;
		NTSTATUS st;

		if (!fwd || depth >= MAX_FORWARDS)
			return fail(STATUS_ENTRYPOINT_NOT_FOUND, m->name, name, ordinal, importer);
		for (const char *p = fwd; *p; p++)
			if (*p == '.')
				dot = p;
		if (!dot || dot == fwd || (size_t)(dot - fwd) + 5 >= MAX_NAME_UNITS)
			return fail(STATUS_ENTRYPOINT_NOT_FOUND, m->name, name, ordinal, importer);
		for (const char *p = fwd; p < dot; p++)
			dll[n++] = (WCHAR)(unsigned char)*p;
		dll[n] = 0;
		st = load(dll, n, NULL, m, m->static_load, &target);
		if (st)
			return st;
		if (dot[1] == '#') {
			unsigned ord = 0;

			for (const char *p = dot + 2; *p >= '0' && *p <= '9'; p++)
				ord = ord * 10 + (unsigned)(*p - '0');
			return export_of(target, NULL, 0, ord, depth + 1, out, m);
		}
		return export_of(target, dot + 1, 0, 0, depth + 1, out, m);
	}
	*out = m->base + rva;
	return STATUS_SUCCESS;
}

/* ---- Imports */

static NTSTATUS add_dep(struct module *m, struct module *dep)
{
	if (!(m->ndeps & 15)) {
		struct module **n = RtlAllocateHeap(PROCESS_HEAP(), 0, sizeof(*n) * (size_t)(m->ndeps + 16));

		if (!n)
			return STATUS_NO_MEMORY;
		if (m->deps) {
			memcpy(n, m->deps, sizeof(*n) * (size_t)m->ndeps);
			RtlFreeHeap(PROCESS_HEAP(), 0, m->deps);
		}
		m->deps = n;
	}
	m->deps[m->ndeps++] = dep;
	return STATUS_SUCCESS;
}

/* Is [rva, rva+len) inside a section that is writable, or still being loaded (a DLL is read-write until the end)? */
static int writable_rva(struct module *m, uint32_t rva, uint32_t len)
{
	unsigned char *o = opt_header(m), *sec;
	uint16_t nsec = *(uint16_t *)(m->base + rd32(m->base + 0x3c) + 6);
	uint16_t opt_size = *(uint16_t *)(m->base + rd32(m->base + 0x3c) + 20);

	if (m->is_dll)
		return 1;
	sec = o + opt_size;
	for (int i = 0; i < nsec; i++, sec += 40) {
		uint32_t lo = rd32(sec + 12), vsize = rd32(sec + 8) ? rd32(sec + 8) : rd32(sec + 16);

		if (rva >= lo && (uint64_t)rva + len <= (uint64_t)lo + vsize)
			return (rd32(sec + 36) & 0x80000000u) != 0;
	}
	return 0;
}

/* Load what m imports and fill its import address tables. */
static NTSTATUS link_imports(struct module *m, const WCHAR *dll_path)
{
	uint32_t dsize;
	unsigned char *d = directory(m, 1, &dsize);

	if (!d)
		return STATUS_SUCCESS;
	for (;; d += 20) {
		uint32_t name_rva, lookup, iat;
		const char *dll_name;
		WCHAR wname[MAX_NAME_UNITS];
		struct module *dep;
		size_t n = 0;
		NTSTATUS st;
		void *prot_addr;
		size_t prot_size;
		ULONG old;
		uint32_t count = 0;

		if ((uint64_t)(d - m->base) + 20 > m->size)
			return fail(STATUS_INVALID_IMAGE_FORMAT, m->name, NULL, 0, m);
		name_rva = rd32(d + 0xc);
		iat = rd32(d + 0x10);
		if (!name_rva && !iat)
			return STATUS_SUCCESS;
		dll_name = image_str(m, name_rva);
		if (!dll_name || strlen(dll_name) + 5 >= MAX_NAME_UNITS)
			return fail(STATUS_INVALID_IMAGE_FORMAT, m->name, NULL, 0, m);
		wname[0] = 0;
		pv_wcat_a(wname, MAX_NAME_UNITS, &n, dll_name);
		st = load(wname, n, dll_path, m, m->static_load, &dep);
		if (st)
			return st;
		st = add_dep(m, dep);
		if (st)
			return st;
		lookup = rd32(d) ? rd32(d) : iat;
		while ((uint64_t)lookup + (count + 1) * 8ULL <= m->size && *(uint64_t *)(m->base + lookup + count * 8))
			count++;
		if ((uint64_t)iat + count * 8ULL > m->size)
			return fail(STATUS_INVALID_IMAGE_FORMAT, m->name, NULL, 0, m);
		/* the table may sit in a read-only section (the program's is mapped with its sections' protections) */
		prot_addr = m->base + iat;
		prot_size = count * 8;
		old = 0;
		if (count && !writable_rva(m, iat, count * 8) &&
		    NtProtectVirtualMemory(CURRENT_PROCESS, &prot_addr, &prot_size, PAGE_READWRITE, &old))
			old = 0;
		for (uint32_t i = 0; i < count; i++) {
			uint64_t th = *(uint64_t *)(m->base + lookup + i * 8);
			void *addr;

			if (th >> 63) {
				st = export_of(dep, NULL, 0, (unsigned)(th & 0xffff), 0, &addr, m);
			} else {
				const char *fn = (th >> 31) ? NULL : image_str(m, (uint32_t)th + 2);

				if (!fn)
					st = fail(STATUS_INVALID_IMAGE_FORMAT, m->name, NULL, 0, m);
				else
					st = export_of(dep, fn, *(uint16_t *)(m->base + (uint32_t)th), 0, 0, &addr, m);
			}
			if (st)
				return st;
			*(uint64_t *)(m->base + iat + i * 8) = (uint64_t)addr;
		}
		if (count && old) {
			prot_addr = m->base + iat;
			prot_size = count * 8;
			NtProtectVirtualMemory(CURRENT_PROCESS, &prot_addr, &prot_size, old, &old);
		}
	}
}

/* ---- TLS */

static void read_tls(struct module *m)
{
	uint32_t size;
	unsigned char *d = directory(m, 9, &size);

	m->tls_index = -1;
	if (!d || size < 0x28)
		return;
	m->tls_start = *(uint64_t *)d;
	m->tls_end = *(uint64_t *)(d + 8);
	m->tls_zero_fill = rd32(d + 0x20);
	m->tls_callbacks = *(tls_callback_fn **)(d + 0x18);
	if (m != exe) {
		uint64_t index_va = *(uint64_t *)(d + 0x10);

		m->tls_index = tls_slots++;
		if (index_va >= (uint64_t)m->base && index_va + 4 <= (uint64_t)m->base + m->size)
			*(uint32_t *)index_va = (uint32_t)m->tls_index;
	}
}

/*
 * The calling thread's TLS vector gets a block for every DLL with TLS (the program's own slot 0, which picovisor
 * set up, is kept). Vectors made here carry their length in the word before them.
 */
static void tls_thread_setup(void)
{
	struct pv_thread *me = pv_thread_self();
	void **old = TEB_FIELD(void **, 0x58), **vec;
	long old_len = me && me->tls_vec == old ? (old ? (long)((intptr_t *)old)[-1] : 0) : (old ? 1 : 0);

	if (!me || tls_slots <= 1 || old_len >= tls_slots)
		return;
	vec = RtlAllocateHeap(PROCESS_HEAP(), HEAP_ZERO_MEMORY, sizeof(void *) * (size_t)(tls_slots + 1));
	if (!vec)
		return;
	vec[0] = (void *)(intptr_t)tls_slots;
	vec++;
	for (long i = 0; i < old_len; i++)
		vec[i] = old[i];
	for (struct module *m = modules; m; m = m->next) {
		size_t tmpl, total;
		unsigned char *block;

		if (m->tls_index <= 0 || m->tls_index < old_len)
			continue;
		tmpl = m->tls_end > m->tls_start ? m->tls_end - m->tls_start : 0;
		total = tmpl + m->tls_zero_fill;
		block = RtlAllocateHeap(PROCESS_HEAP(), HEAP_ZERO_MEMORY, total ? total : 1);
		if (block && tmpl)
			memcpy(block, (void *)m->tls_start, tmpl);
		vec[m->tls_index] = block;
	}
	if (me->tls_vec == old && old)
		RtlFreeHeap(PROCESS_HEAP(), 0, (intptr_t *)old - 1);
	me->tls_vec = vec;
	TEB_FIELD(void **, 0x58) = vec;
}

/* ---- Loading */

static NTSTATUS unload_module(struct module *m);

static NTSTATUS load(const WCHAR *name, size_t len, const WCHAR *dll_path, struct module *importer, int static_load,
		     struct module **out)
{
	WCHAR base_name[MAX_NAME_UNITS], given[MAX_PATH_UNITS], dos[MAX_PATH_UNITS];
	struct module *m;
	HANDLE h;
	NTSTATUS st;

	if (!len || len >= MAX_PATH_UNITS)
		return fail(STATUS_DLL_NOT_FOUND, name, NULL, 0, importer);
	normalise(name, len, base_name, MAX_NAME_UNITS, given, MAX_PATH_UNITS);
	m = find_loaded(base_name);
	if (m) {
		m->refs++;
		*out = m;
		return STATUS_SUCCESS;
	}
	st = search(base_name, given, dll_path, &h, dos);
	if (st)
		return fail(STATUS_DLL_NOT_FOUND, base_name, NULL, 0, importer);
	m = RtlAllocateHeap(PROCESS_HEAP(), HEAP_ZERO_MEMORY, sizeof(*m));
	if (!m) {
		NtClose(h);
		return STATUS_NO_MEMORY;
	}
	st = map_image(h, m);
	NtClose(h);
	if (st) {
		RtlFreeHeap(PROCESS_HEAP(), 0, m);
		return fail(st, base_name, NULL, 0, importer);
	}
	wcopy(m->name, MAX_NAME_UNITS, base_name);
	wcopy(m->path, MAX_PATH_UNITS, dos);
	m->refs = 1;
	m->is_dll = 1;
	m->static_load = static_load;
	{
		uint32_t entry = rd32(opt_header(m) + 0x10);

		m->entry = entry ? (dll_entry_fn)(m->base + entry) : NULL;
	}
	/* listed before its imports are: a cycle of imports finds it */
	m->next = modules;
	modules = m;
	m->ldr = pv_ldr_add(m->base, (uint32_t)m->size, (void *)m->entry, m->path, m->name, 1, static_load);
	read_tls(m);
	st = link_imports(m, dll_path);
	if (st) {
		unload_module(m);
		return st;
	}
	protect_sections(m);
	*out = m;
	return STATUS_SUCCESS;
}

static void call_tls_callbacks(struct module *m, ULONG reason, void *reserved)
{
	if (m->tls_callbacks)
		for (tls_callback_fn *cb = m->tls_callbacks; *cb; cb++)
			(*cb)(m->base, reason, reserved);
}

/* DllMain(PROCESS_ATTACH) of m's dependencies, then of m (each once), in that order. */
static NTSTATUS initialise(struct module *m, void *reserved)
{
	if (m->init_order || !m->is_dll)
		return STATUS_SUCCESS;
	m->init_order = next_init_order++; /* before the dependencies: a cycle stops here */
	for (int i = 0; i < m->ndeps; i++) {
		NTSTATUS st = initialise(m->deps[i], reserved);

		if (st)
			return st;
	}
	m->init_order = next_init_order++; /* its place is after what it depends on */
	pv_ldr_initialised(m->ldr);
	call_tls_callbacks(m, DLL_PROCESS_ATTACH, reserved);
	if (m->entry && !m->entry(m->base, DLL_PROCESS_ATTACH, reserved))
		return fail(STATUS_DLL_INIT_FAILED, m->name, NULL, 0, NULL);
	m->attached = 1;
	return STATUS_SUCCESS;
}

/* Modules initialised, latest first (reverse == 1) or first first. */
static int by_init_order(struct module **list, int cap, int reverse)
{
	int n = 0;

	for (struct module *m = modules; m && n < cap; m = m->next)
		if (m->attached)
			list[n++] = m;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && (reverse ? list[j]->init_order > list[j - 1]->init_order
						  : list[j]->init_order < list[j - 1]->init_order);
		     j--) {
			struct module *t = list[j];

			list[j] = list[j - 1];
			list[j - 1] = t;
		}
	return n;
}

static NTSTATUS unload_module(struct module *m)
{
	void *base = m->base;
	size_t size = 0;

	if (m->attached && m->entry)
		m->entry(m->base, DLL_PROCESS_DETACH, NULL);
	for (struct module **pp = &modules; *pp; pp = &(*pp)->next)
		if (*pp == m) {
			*pp = m->next;
			break;
		}
	pv_ldr_remove(m->ldr);
	for (int i = 0; i < m->ndeps; i++)
		if (m->deps[i]->is_dll && !m->deps[i]->static_load && --m->deps[i]->refs == 0)
			unload_module(m->deps[i]);
	NtFreeVirtualMemory(CURRENT_PROCESS, &base, &size, MEM_RELEASE);
	if (m->deps)
		RtlFreeHeap(PROCESS_HEAP(), 0, m->deps);
	RtlFreeHeap(PROCESS_HEAP(), 0, m);
	return STATUS_SUCCESS;
}

/* ---- The exported loader functions */

EXPORT NTSTATUS LdrLoadDll(const WCHAR *path, ULONG *flags, const UNICODE_STRING *name, void **handle)
{
	struct module *m;
	NTSTATUS st;

	(void)flags;
	if (!name || !name->Buffer || !handle)
		return STATUS_INVALID_PARAMETER;
	RtlEnterCriticalSection(&loader_lock);
	failure.status = 0;
	st = load(name->Buffer, name->Length / 2, path, NULL, 0, &m);
	if (!st) {
		st = initialise(m, NULL);
		if (st) {
			if (--m->refs == 0)
				unload_module(m);
		} else if (m->is_dll) {
			tls_thread_setup();
		}
	}
	if (!st)
		*handle = m->base;
	RtlLeaveCriticalSection(&loader_lock);
	return st;
}

EXPORT NTSTATUS LdrGetDllHandle(const WCHAR *path, ULONG *chars, const UNICODE_STRING *name, void **handle)
{
	WCHAR base_name[MAX_NAME_UNITS];
	struct module *m;

	(void)path;
	(void)chars;
	if (!name || !name->Buffer || !handle || !name->Length || name->Length / 2 >= MAX_PATH_UNITS)
		return STATUS_INVALID_PARAMETER;
	normalise(name->Buffer, name->Length / 2, base_name, MAX_NAME_UNITS, NULL, 0);
	RtlEnterCriticalSection(&loader_lock);
	m = find_loaded(base_name);
	if (!m && exe) { /* the program by its own name */
		WCHAR exe_name[MAX_NAME_UNITS];

		normalise(exe->name, pv_wcslen(exe->name), exe_name, MAX_NAME_UNITS, NULL, 0);
		if (!pv_wcsicmp(exe_name, base_name))
			m = exe;
	}
	*handle = m ? m->base : NULL;
	RtlLeaveCriticalSection(&loader_lock);
	return m ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

EXPORT NTSTATUS LdrGetProcedureAddress(void *base, const ANSI_STRING *name, ULONG ordinal, void **addr)
{
	char fn[256];
	struct module *m;
	NTSTATUS st;

	if (!addr)
		return STATUS_INVALID_PARAMETER;
	*addr = NULL;
	if (name && (!name->Buffer || name->Length >= sizeof(fn)))
		return STATUS_PROCEDURE_NOT_FOUND;
	if (name) {
		memcpy(fn, name->Buffer, name->Length);
		fn[name->Length] = 0;
	}
	RtlEnterCriticalSection(&loader_lock);
	m = find_by_base(base);
	if (!m) {
		RtlLeaveCriticalSection(&loader_lock);
		return STATUS_DLL_NOT_FOUND;
	}
	failure.status = 0;
	st = export_of(m, name ? fn : NULL, 0, ordinal, 0, addr, NULL);
	if (!st) {
		/* a forwarder may have loaded a DLL: it is initialised before its function can be called */
		for (struct module *d = modules; d; d = d->next)
			if (d->is_dll && !d->init_order && !st)
				st = initialise(d, NULL);
	}
	RtlLeaveCriticalSection(&loader_lock);
	if (st == STATUS_ENTRYPOINT_NOT_FOUND || st == STATUS_ORDINAL_NOT_FOUND)
		st = STATUS_PROCEDURE_NOT_FOUND; /* what GetProcAddress's caller is told */
	return st;
}

EXPORT NTSTATUS LdrUnloadDll(void *base)
{
	struct module *m;

	RtlEnterCriticalSection(&loader_lock);
	m = find_by_base(base);
	if (!m || !m->is_dll) {
		RtlLeaveCriticalSection(&loader_lock);
		return m ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
	}
	/* a DLL the program was linked against stays for the life of the process, as on Windows */
	if (!m->static_load && --m->refs == 0)
		unload_module(m);
	RtlLeaveCriticalSection(&loader_lock);
	return STATUS_SUCCESS;
}

EXPORT NTSTATUS LdrAddRefDll(ULONG flags, void *base)
{
	struct module *m;

	RtlEnterCriticalSection(&loader_lock);
	m = find_by_base(base);
	if (m)
		m->refs++;
	if (m && (flags & 1)) /* LDR_ADDREF_DLL_PIN: it stays for the life of the process, as one linked against */
		m->static_load = 1;
	RtlLeaveCriticalSection(&loader_lock);
	return m ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

EXPORT NTSTATUS LdrDisableThreadLibraryCalls(void *base)
{
	struct module *m;

	RtlEnterCriticalSection(&loader_lock);
	m = find_by_base(base);
	if (m)
		m->no_thread_calls = 1;
	RtlLeaveCriticalSection(&loader_lock);
	return m ? STATUS_SUCCESS : STATUS_DLL_NOT_FOUND;
}

/* The DOS path of a loaded module (NULL: the program), copied into name's buffer. */
EXPORT NTSTATUS LdrGetDllFullName(void *base, UNICODE_STRING *name)
{
	struct module *m;
	size_t n;
	NTSTATUS st = STATUS_SUCCESS;

	RtlEnterCriticalSection(&loader_lock);
	m = base ? find_by_base(base) : exe;
	if (!m) {
		RtlLeaveCriticalSection(&loader_lock);
		return STATUS_DLL_NOT_FOUND;
	}
	n = pv_wcslen(m->path);
	if (n * 2 + 2 > name->MaximumLength) {
		st = STATUS_BUFFER_TOO_SMALL;
		n = name->MaximumLength ? name->MaximumLength / 2 - 1 : 0;
	}
	if (name->MaximumLength) {
		memcpy(name->Buffer, m->path, n * 2);
		name->Buffer[n] = 0;
	}
	name->Length = (uint16_t)(n * 2);
	RtlLeaveCriticalSection(&loader_lock);
	return st;
}

/* The module holding an address: its base, or NULL. */
EXPORT void *RtlPcToFileHeader(void *pc, void **base)
{
	void *found = NULL;

	RtlEnterCriticalSection(&loader_lock);
	for (struct module *m = modules; m; m = m->next)
		if ((unsigned char *)pc >= m->base && (unsigned char *)pc < m->base + m->size)
			found = m->base;
	RtlLeaveCriticalSection(&loader_lock);
	*base = found;
	return found;
}

/*
 * The module holding pc, for the unwinder (unwind.c): its base and size. It reads the list without the loader
 * lock (an exception may be unwound while a thread holds it); modules are only ever unlinked under the lock
 * and a module that code runs in is not unloaded.
 */
void *pv_module_of(uint64_t pc, uint64_t *base, uint64_t *size);
void *pv_module_of(uint64_t pc, uint64_t *base, uint64_t *size)
{
	for (struct module *m = __atomic_load_n(&modules, __ATOMIC_ACQUIRE); m; m = m->next)
		if (pc >= (uint64_t)m->base && pc < (uint64_t)m->base + m->size) {
			*base = (uint64_t)m->base;
			*size = m->size;
			return m;
		}
	return NULL;
}

/* ---- Threads and the process */

void pv_loader_thread_attach(void)
{
	struct module *list[256];
	int n;

	if (!process_started)
		return;
	RtlEnterCriticalSection(&loader_lock);
	tls_thread_setup();
	n = by_init_order(list, 256, 0);
	for (int i = 0; i < n; i++) {
		if (list[i]->no_thread_calls)
			continue;
		call_tls_callbacks(list[i], DLL_THREAD_ATTACH, NULL);
		if (list[i]->entry)
			list[i]->entry(list[i]->base, DLL_THREAD_ATTACH, NULL);
	}
	if (exe)
		call_tls_callbacks(exe, DLL_THREAD_ATTACH, NULL);
	RtlLeaveCriticalSection(&loader_lock);
}

void pv_loader_thread_detach(void)
{
	struct module *list[256];
	int n;

	if (!process_started)
		return;
	RtlEnterCriticalSection(&loader_lock);
	if (exe)
		call_tls_callbacks(exe, DLL_THREAD_DETACH, NULL);
	n = by_init_order(list, 256, 1);
	for (int i = 0; i < n; i++) {
		if (list[i]->no_thread_calls)
			continue;
		if (list[i]->entry)
			list[i]->entry(list[i]->base, DLL_THREAD_DETACH, NULL);
		call_tls_callbacks(list[i], DLL_THREAD_DETACH, NULL);
	}
	RtlLeaveCriticalSection(&loader_lock);
}

void pv_loader_process_detach(void)
{
	struct module *list[256];
	int n;

	if (!process_started)
		return;
	RtlEnterCriticalSection(&loader_lock);
	process_started = 0; /* once */
	if (exe)
		call_tls_callbacks(exe, DLL_PROCESS_DETACH, (void *)1);
	n = by_init_order(list, 256, 1);
	for (int i = 0; i < n; i++) {
		if (list[i]->entry)
			list[i]->entry(list[i]->base, DLL_PROCESS_DETACH, (void *)1);
		call_tls_callbacks(list[i], DLL_PROCESS_DETACH, (void *)1);
	}
	RtlLeaveCriticalSection(&loader_lock);
}

static struct module *register_loaded(void *base, const WCHAR *path, size_t len)
{
	struct module *m = RtlAllocateHeap(PROCESS_HEAP(), HEAP_ZERO_MEMORY, sizeof(*m));
	size_t cut = 0, n = 0;

	if (!m)
		return NULL;
	m->base = base;
	m->size = rd32(opt_header(m) + 0x38);
	m->refs = 1;
	m->static_load = 1;
	m->tls_index = -1;
	for (size_t i = 0; i < len; i++)
		if (path[i] == '\\' || path[i] == '/')
			cut = i + 1;
	for (size_t i = cut; i < len && n + 1 < MAX_NAME_UNITS; i++)
		m->name[n++] = path[i];
	m->name[n] = 0;
	for (n = 0; n < len && n + 1 < MAX_PATH_UNITS; n++)
		m->path[n] = path[n];
	m->path[n] = 0;
	m->next = modules;
	modules = m;
	return m;
}

EXPORT void RtlExitUserThread(NTSTATUS status)
{
	pv_loader_thread_detach();
	NtTerminateThread((HANDLE)-2, status);
	for (;;)
		__asm__ volatile("ud2");
}

EXPORT void RtlExitUserProcess(NTSTATUS status)
{
	pv_loader_process_detach();
	NtTerminateProcess(CURRENT_PROCESS, status);
	for (;;)
		__asm__ volatile("ud2");
}

/* The first thread of the process: the heap, the program's imports (and theirs), DllMains, then its entry point. */
EXPORT void LdrInitializeThunk(const struct pv_process_start *s)
{
	size_t len;
	const WCHAR *img;
	NTSTATUS st = STATUS_NO_MEMORY;

	if (!pv_heap_create_process_heap())
		goto fatal;
	RtlInitializeCriticalSection(&loader_lock);
	ntdll_mod = register_loaded(__ImageBase, u"C:\\Windows\\System32\\ntdll.dll", 30);
	img = param_ustr(0x60, &len);
	exe = register_loaded(s->image_base, img, len);
	if (!ntdll_mod || !exe)
		goto fatal;
	ntdll_mod->is_dll = 0; /* nothing to initialise: it is running */
	/* PEB->Ldr: the program first, then ntdll, which is also the first initialised */
	pv_ldr_setup(&loader_lock);
	exe->ldr = pv_ldr_add(exe->base, (uint32_t)exe->size, (void *)s->entry, exe->path, exe->name, 0, 1);
	ntdll_mod->ldr = pv_ldr_add(ntdll_mod->base, (uint32_t)ntdll_mod->size, NULL, ntdll_mod->path, ntdll_mod->name, 1, 1);
	pv_ldr_initialised(ntdll_mod->ldr);
	exe->tls_index = 0;
	RtlEnterCriticalSection(&loader_lock);
	st = link_imports(exe, NULL);
	if (!st) {
		tls_thread_setup();
		for (int i = 0; i < exe->ndeps && !st; i++)
			st = initialise(exe->deps[i], (void *)1);
	}
	RtlLeaveCriticalSection(&loader_lock);
	if (st)
		goto fatal;
	process_started = 1;
	if (s->tls_callbacks)
		for (tls_callback_fn *cb = s->tls_callbacks; *cb; cb++)
			(*cb)(s->image_base, DLL_PROCESS_ATTACH, NULL);
	exe->tls_callbacks = s->tls_callbacks;
	RtlExitUserThread(s->entry(s->peb));
fatal:
	if (!failure.status)
		fail(st, u"", NULL, 0, exe);
	report_failure();
	NtTerminateProcess(CURRENT_PROCESS, failure.status);
	for (;;)
		__asm__ volatile("ud2");
}
