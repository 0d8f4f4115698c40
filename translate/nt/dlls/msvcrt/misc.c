/* Process odds and ends: _getpid, _sleep, _ftime, _fullpath, _splitpath/_makepath, _getdrive, tmpfile/tmpnam, _purecall, __dllonexit. */
#include "crt.h"


long long crt_filetime_to_time(const FILETIME *ft);

EXPORT int _getpid(void)
{
	return (int)GetCurrentProcessId();
}

EXPORT void _sleep(unsigned long ms)
{
	Sleep((DWORD)ms);
}

struct crt_timeb64 {
	long long time;
	unsigned short millitm;
	short timezone, dstflag;
};

EXPORT void _ftime64(struct crt_timeb64 *tb)
{
	FILETIME ft;
	TIME_ZONE_INFORMATION tz;
	uint64_t t;

	GetSystemTimeAsFileTime(&ft);
	t = (uint64_t)ft.dwHighDateTime << 32 | ft.dwLowDateTime;
	tb->time = crt_filetime_to_time(&ft);
	tb->millitm = (unsigned short)(t / 10000 % 1000);
	tb->timezone = GetTimeZoneInformation(&tz) == 0xffffffffu ? 0 : (short)(tz.Bias);
	tb->dstflag = 0;
}

EXPORT void _ftime(struct crt_timeb64 *tb) __attribute__((alias("_ftime64")));

EXPORT WCHAR *_wfullpath(WCHAR *buf, const WCHAR *path, size_t size)
{
	DWORD n;
	WCHAR *out = buf;

	if (!path || !*path)
		return NULL; /* msvcrt gives the current directory here; a caller wanting it calls _wgetcwd */
	n = GetFullPathNameW(path, 0, NULL, NULL);
	if (!n) {
		crt_set_errno_from_win32(GetLastError());
		return NULL;
	}
	if (!out) {
		size = n;
		out = malloc((size_t)n * sizeof(WCHAR));
		if (!out)
			return NULL;
	} else if (n > size) {
		*_errno() = ERANGE;
		return NULL;
	}
	GetFullPathNameW(path, (DWORD)size, out, NULL);
	return out;
}

EXPORT char *_fullpath(char *buf, const char *path, size_t size)
{
	WCHAR *w, *full;
	char *u;
	size_t n;

	if (!path || !*path)
		return NULL;
	w = crt_to_wide(path);
	if (!w)
		return NULL;
	full = _wfullpath(NULL, w, 0);
	free(w);
	if (!full)
		return NULL;
	u = crt_to_utf8(full);
	free(full);
	if (!u || !buf)
		return u;
	n = strlen(u) + 1;
	if (n > size) {
		free(u);
		*_errno() = ERANGE;
		return NULL;
	}
	memcpy(buf, u, n);
	free(u);
	return buf;
}

static void copy_part(char *dst, const char *from, const char *to)
{
	if (!dst)
		return;
	memcpy(dst, from, (size_t)(to - from));
	dst[to - from] = 0;
}

/* "C:\dir\name.ext" into "C:", "\dir\", "name", ".ext" (any part may be NULL). */
EXPORT void _splitpath(const char *path, char *drive, char *dir, char *name, char *ext)
{
	const char *p = path, *last_sep = NULL, *dot = NULL, *end;

	if (path[0] && path[1] == ':') {
		copy_part(drive, path, path + 2);
		p += 2;
	} else if (drive) {
		drive[0] = 0;
	}
	for (end = p; *end; end++) {
		if (*end == '\\' || *end == '/')
			last_sep = end;
		else if (*end == '.')
			dot = end;
	}
	if (last_sep) {
		copy_part(dir, p, last_sep + 1);
		p = last_sep + 1;
	} else if (dir) {
		dir[0] = 0;
	}
	if (dot && dot >= p) {
		copy_part(name, p, dot);
		copy_part(ext, dot, end);
	} else {
		copy_part(name, p, end);
		if (ext)
			ext[0] = 0;
	}
}

EXPORT void _makepath(char *path, const char *drive, const char *dir, const char *name, const char *ext)
{
	char *p = path;

	if (drive && *drive) {
		*p++ = drive[0];
		*p++ = ':';
	}
	if (dir && *dir) {
		size_t n = strlen(dir);
		memcpy(p, dir, n);
		p += n;
		if (dir[n - 1] != '\\' && dir[n - 1] != '/')
			*p++ = '\\';
	}
	if (name) {
		size_t n = strlen(name);
		memcpy(p, name, n);
		p += n;
	}
	if (ext && *ext) {
		if (*ext != '.')
			*p++ = '.';
		strcpy(p, ext);
		p += strlen(ext);
	}
	*p = 0;
}

EXPORT int _getdrive(void)
{
	WCHAR cwd[4];

	if (GetCurrentDirectoryW(4, cwd) >= 2 && cwd[1] == ':')
		return (cwd[0] | 0x20) - 'a' + 1;
	return 0;
}

/* tmpnam: "\s" and a number in the root of the current drive, as msvcrt names them; unique within the process. */
EXPORT char *tmpnam(char *buf)
{
	static char own[32];
	static unsigned counter;
	unsigned n = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
	char *out = buf ? buf : own;

	sprintf(out, "\\s%x%x.", (unsigned)GetCurrentProcessId() & 0xffff, n);
	return out;
}

/* tmpfile: a new file in the temporary directory, removed when closed. */
EXPORT FILE *tmpfile(void)
{
	static unsigned counter;
	WCHAR dir[262], name[300];
	DWORD n = GetTempPathW(262, dir);
	FILE *f;

	if (!n || n > 240) {
		*_errno() = ENOENT;
		return NULL;
	}
	for (int tries = 0; tries < 1000; tries++) {
		unsigned k = __atomic_add_fetch(&counter, 1, __ATOMIC_SEQ_CST);
		char tail[40];
		size_t i, j;
		int fd;

		sprintf(tail, "t%x_%x.tmp", (unsigned)GetCurrentProcessId(), k);
		memcpy(name, dir, n * sizeof(WCHAR));
		for (i = n, j = 0; tail[j]; i++, j++)
			name[i] = (WCHAR)tail[j];
		name[i] = 0;
		fd = _wsopen(name, _O_CREAT | _O_EXCL | _O_RDWR | _O_BINARY | _O_TEMPORARY, 0x40, _S_IREAD | _S_IWRITE);
		if (fd < 0) {
			if (*_errno() == EEXIST)
				continue;
			return NULL;
		}
		f = _fdopen(fd, "w+b");
		if (!f)
			_close(fd);
		return f;
	}
	*_errno() = EEXIST;
	return NULL;
}

EXPORT void _purecall(void)
{
	_amsg_exit(25); /* R6025: pure virtual function call */
}

typedef void (*onexit_fn)(void);

/* A DLL's own exit table (older mingw DLL startup code keeps one and calls this to grow it). */
EXPORT onexit_fn __dllonexit(onexit_fn fn, onexit_fn **begin, onexit_fn **end)
{
	size_t n;
	onexit_fn *t;

	if (!fn || !begin || !end)
		return NULL;
	n = (size_t)(*end - *begin);
	t = realloc(*begin, (n + 1) * sizeof(onexit_fn));
	if (!t)
		return NULL;
	t[n] = fn;
	*begin = t;
	*end = t + n + 1;
	return fn;
}
