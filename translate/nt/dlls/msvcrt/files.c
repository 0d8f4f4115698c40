/*
 * Names in the file system: remove/rename, directories, the current
 * directory, _access, the _stat family and _findfirst/_findnext, in the
 * x64 layouts of mingw-w64's headers (64-bit times). Narrow names are UTF-8.
 */
#include "crt.h"

#define EPOCH_DIFF 116444736000000000ll /* 1601-01-01 to 1970-01-01 in 100 ns */

long long crt_filetime_to_time(const FILETIME *ft)
{
	long long t = (long long)((uint64_t)ft->dwHighDateTime << 32 | ft->dwLowDateTime);
	return (t - EPOCH_DIFF) / 10000000;
}

/* Calls fn on the wide form of a narrow name (UTF-8). */
#define WITH_WIDE(name, expr)                                 \
	do {                                                  \
		WCHAR *w_;                                    \
		int r_;                                       \
		if (!(name)) {                                \
			*_errno() = EINVAL;                   \
			return -1;                            \
		}                                             \
		w_ = crt_to_wide(name);                       \
		if (!w_)                                      \
			return -1;                            \
		r_ = expr(w_);                                \
		free(w_);                                     \
		return r_;                                    \
	} while (0)

static int win32_result(BOOL ok)
{
	if (ok)
		return 0;
	crt_set_errno_from_win32(GetLastError());
	return -1;
}

EXPORT int _wunlink(const WCHAR *name)
{
	return win32_result(DeleteFileW(name));
}

EXPORT int _wremove(const WCHAR *name) __attribute__((alias("_wunlink")));

EXPORT int _unlink(const char *name)
{
	WITH_WIDE(name, _wunlink);
}

EXPORT int remove(const char *name) __attribute__((alias("_unlink")));

EXPORT int _wrename(const WCHAR *from, const WCHAR *to)
{
	return win32_result(MoveFileExW(from, to, MOVEFILE_COPY_ALLOWED));
}

EXPORT int rename(const char *from, const char *to)
{
	WCHAR *a, *b;
	int r = -1;

	if (!from || !to) {
		*_errno() = EINVAL;
		return -1;
	}
	a = crt_to_wide(from);
	b = crt_to_wide(to);
	if (a && b)
		r = _wrename(a, b);
	free(a);
	free(b);
	return r;
}

EXPORT int _wmkdir(const WCHAR *name)
{
	return win32_result(CreateDirectoryW(name, NULL));
}

EXPORT int _mkdir(const char *name)
{
	WITH_WIDE(name, _wmkdir);
}

EXPORT int _wrmdir(const WCHAR *name)
{
	return win32_result(RemoveDirectoryW(name));
}

EXPORT int _rmdir(const char *name)
{
	WITH_WIDE(name, _wrmdir);
}

EXPORT int _wchdir(const WCHAR *name)
{
	return win32_result(SetCurrentDirectoryW(name));
}

EXPORT int _chdir(const char *name)
{
	WITH_WIDE(name, _wchdir);
}

EXPORT WCHAR *_wgetcwd(WCHAR *buf, int size)
{
	DWORD n = GetCurrentDirectoryW(0, NULL);

	if (!n) {
		crt_set_errno_from_win32(GetLastError());
		return NULL;
	}
	if (!buf) {
		if ((int)n > size)
			size = (int)n;
		buf = malloc((size_t)size * sizeof(WCHAR));
		if (!buf)
			return NULL;
	} else if ((int)n > size) {
		*_errno() = ERANGE;
		return NULL;
	}
	GetCurrentDirectoryW((DWORD)size, buf);
	return buf;
}

EXPORT char *_getcwd(char *buf, int size)
{
	WCHAR *w = _wgetcwd(NULL, 0);
	char *u;
	size_t n;

	if (!w)
		return NULL;
	u = crt_to_utf8(w);
	free(w);
	if (!u)
		return NULL;
	n = strlen(u) + 1;
	if (!buf) {
		if ((size_t)size <= n)
			return u;
		buf = malloc((size_t)size);
		if (buf)
			memcpy(buf, u, n);
		free(u);
		return buf;
	}
	if (n > (size_t)size) {
		free(u);
		*_errno() = ERANGE;
		return NULL;
	}
	memcpy(buf, u, n);
	free(u);
	return buf;
}

/* _access: 0 exists, 2 writable, 4 readable, 6 both; a read-only file is not writable. */
EXPORT int _waccess(const WCHAR *name, int mode)
{
	WIN32_FILE_ATTRIBUTE_DATA a;

	if (!name || (mode & ~6)) {
		*_errno() = EINVAL;
		return -1;
	}
	if (!GetFileAttributesExW(name, 0, &a)) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	if ((mode & 2) && (a.dwFileAttributes & FILE_ATTRIBUTE_READONLY) && !(a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
		*_errno() = EACCES;
		return -1;
	}
	return 0;
}

EXPORT int _access(const char *name, int mode)
{
	WCHAR *w;
	int r;

	if (!name) {
		*_errno() = EINVAL;
		return -1;
	}
	w = crt_to_wide(name);
	if (!w)
		return -1;
	r = _waccess(w, mode);
	free(w);
	return r;
}

/* struct _stat64 of mingw-w64 (x64) */
struct crt_stat64 {
	unsigned int st_dev;
	unsigned short st_ino, st_mode;
	short st_nlink, st_uid, st_gid;
	unsigned int st_rdev;
	long long st_size;
	long long st_atime_, st_mtime_, st_ctime_;
};

/* struct _stat of msvcrt on x64: a 32-bit size, 64-bit times */
struct crt_stat {
	unsigned int st_dev;
	unsigned short st_ino, st_mode;
	short st_nlink, st_uid, st_gid;
	unsigned int st_rdev;
	long st_size;
	long long st_atime_, st_mtime_, st_ctime_;
};

static int ends_with_exe(const WCHAR *name)
{
	static const char *const exts[] = {".exe", ".com", ".bat", ".cmd"};
	size_t n = wcslen(name);

	if (n < 4)
		return 0;
	for (int i = 0; i < 4; i++) {
		int ok = 1;
		for (int k = 0; k < 4; k++) {
			WCHAR c = name[n - 4 + k];
			if (c >= 'A' && c <= 'Z')
				c += 32;
			if (c != exts[i][k])
				ok = 0;
		}
		if (ok)
			return 1;
	}
	return 0;
}

static unsigned short mode_of(DWORD attrs, const WCHAR *name)
{
	unsigned short m = _S_IREAD;

	if (!(attrs & FILE_ATTRIBUTE_READONLY))
		m |= _S_IWRITE;
	if (attrs & FILE_ATTRIBUTE_DIRECTORY)
		m |= _S_IFDIR | _S_IEXEC;
	else
		m |= _S_IFREG;
	if (name && ends_with_exe(name))
		m |= _S_IEXEC;
	/* the owner's bits, repeated for group and others */
	return (unsigned short)(m | (m & 0700) >> 3 | (m & 0700) >> 6);
}

static int drive_of(const WCHAR *name)
{
	WCHAR c;

	if (name[0] && name[1] == ':') {
		c = name[0];
		if (c >= 'a' && c <= 'z')
			c -= 32;
		if (c >= 'A' && c <= 'Z')
			return c - 'A';
	}
	{
		WCHAR cwd[4];
		if (GetCurrentDirectoryW(4, cwd) && cwd[1] == ':')
			return (cwd[0] | 0x20) - 'a';
	}
	return 2;
}

EXPORT int _wstat64(const WCHAR *name, struct crt_stat64 *st)
{
	WIN32_FILE_ATTRIBUTE_DATA a;
	size_t n;

	if (!name || !st) {
		*_errno() = EINVAL;
		return -1;
	}
	/* a trailing slash is allowed only on a directory (and on a root) */
	n = wcslen(name);
	if (!GetFileAttributesExW(name, 0, &a)) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	if (n > 1 && (name[n - 1] == '\\' || name[n - 1] == '/') && !(a.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)) {
		*_errno() = ENOENT;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_dev = st->st_rdev = (unsigned)drive_of(name);
	st->st_mode = mode_of(a.dwFileAttributes, name);
	st->st_nlink = 1;
	st->st_size = (long long)((uint64_t)a.nFileSizeHigh << 32 | a.nFileSizeLow);
	st->st_atime_ = crt_filetime_to_time(&a.ftLastAccessTime);
	st->st_mtime_ = crt_filetime_to_time(&a.ftLastWriteTime);
	st->st_ctime_ = crt_filetime_to_time(&a.ftCreationTime);
	return 0;
}

EXPORT int _stat64(const char *name, struct crt_stat64 *st)
{
	WCHAR *w;
	int r;

	if (!name) {
		*_errno() = EINVAL;
		return -1;
	}
	w = crt_to_wide(name);
	if (!w)
		return -1;
	r = _wstat64(w, st);
	free(w);
	return r;
}

EXPORT int _stati64(const char *name, struct crt_stat64 *st) __attribute__((alias("_stat64")));
EXPORT int _wstati64(const WCHAR *name, struct crt_stat64 *st) __attribute__((alias("_wstat64")));

static int narrow_stat(struct crt_stat *st, const struct crt_stat64 *s)
{
	if (s->st_size > 0x7fffffff) {
		*_errno() = 132; /* EOVERFLOW */
		return -1;
	}
	st->st_dev = s->st_dev;
	st->st_ino = s->st_ino;
	st->st_mode = s->st_mode;
	st->st_nlink = s->st_nlink;
	st->st_uid = s->st_uid;
	st->st_gid = s->st_gid;
	st->st_rdev = s->st_rdev;
	st->st_size = (long)s->st_size;
	st->st_atime_ = s->st_atime_;
	st->st_mtime_ = s->st_mtime_;
	st->st_ctime_ = s->st_ctime_;
	return 0;
}

EXPORT int _wstat(const WCHAR *name, struct crt_stat *st)
{
	struct crt_stat64 s;
	return _wstat64(name, &s) ? -1 : narrow_stat(st, &s);
}

EXPORT int _stat(const char *name, struct crt_stat *st)
{
	struct crt_stat64 s;
	return _stat64(name, &s) ? -1 : narrow_stat(st, &s);
}

EXPORT int _fstat64(int fd, struct crt_stat64 *st)
{
	HANDLE h = crt_fd_handle(fd);
	BY_HANDLE_FILE_INFORMATION info;
	DWORD type;

	if (h == INVALID_HANDLE_VALUE)
		return -1;
	if (!st) {
		*_errno() = EINVAL;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	type = GetFileType(h);
	if (type == FILE_TYPE_CHAR || type == FILE_TYPE_PIPE) {
		st->st_mode = type == FILE_TYPE_CHAR ? _S_IFCHR : _S_IFIFO;
		st->st_dev = st->st_rdev = (unsigned)fd;
		st->st_nlink = 1;
		return 0;
	}
	if (!GetFileInformationByHandle(h, &info)) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	st->st_mode = mode_of(info.dwFileAttributes, NULL);
	st->st_nlink = (short)info.nNumberOfLinks;
	st->st_size = (long long)((uint64_t)info.nFileSizeHigh << 32 | info.nFileSizeLow);
	st->st_atime_ = crt_filetime_to_time(&info.ftLastAccessTime);
	st->st_mtime_ = crt_filetime_to_time(&info.ftLastWriteTime);
	st->st_ctime_ = crt_filetime_to_time(&info.ftCreationTime);
	return 0;
}

EXPORT int _fstati64(int fd, struct crt_stat64 *st) __attribute__((alias("_fstat64")));

EXPORT int _fstat(int fd, struct crt_stat *st)
{
	struct crt_stat64 s;
	return _fstat64(fd, &s) ? -1 : narrow_stat(st, &s);
}

/* _findfirst: struct __finddata64_t, and _finddata_t (32-bit size) of msvcrt x64 */
struct crt_finddata64 {
	unsigned attrib;
	long long time_create, time_access, time_write;
	long long size;
	char name[260];
};

struct crt_finddata {
	unsigned attrib;
	long long time_create, time_access, time_write;
	unsigned long size;
	char name[260];
};

struct crt_wfinddata64 {
	unsigned attrib;
	long long time_create, time_access, time_write;
	long long size;
	WCHAR name[260];
};

static void fill64(struct crt_finddata64 *d, const WIN32_FIND_DATAW *w)
{
	char *u = crt_to_utf8(w->cFileName);
	size_t n = u ? strlen(u) : 0;

	d->attrib = w->dwFileAttributes & 0x3f; /* the _A_ bits: RDONLY HIDDEN SYSTEM SUBDIR ARCH */
	d->time_create = crt_filetime_to_time(&w->ftCreationTime);
	d->time_access = crt_filetime_to_time(&w->ftLastAccessTime);
	d->time_write = crt_filetime_to_time(&w->ftLastWriteTime);
	d->size = (long long)((uint64_t)w->nFileSizeHigh << 32 | w->nFileSizeLow);
	if (n >= sizeof(d->name))
		n = sizeof(d->name) - 1;
	if (u)
		memcpy(d->name, u, n);
	d->name[n] = 0;
	free(u);
}

static void fill32(struct crt_finddata *d, const WIN32_FIND_DATAW *w)
{
	struct crt_finddata64 t;

	fill64(&t, w);
	d->attrib = t.attrib;
	d->time_create = t.time_create;
	d->time_access = t.time_access;
	d->time_write = t.time_write;
	d->size = (unsigned long)t.size;
	memcpy(d->name, t.name, sizeof(d->name));
}

static intptr_t find_first(const char *spec, WIN32_FIND_DATAW *w)
{
	WCHAR *ws;
	HANDLE h;

	if (!spec) {
		*_errno() = EINVAL;
		return -1;
	}
	ws = crt_to_wide(spec);
	if (!ws)
		return -1;
	h = FindFirstFileW(ws, w);
	free(ws);
	if (h == INVALID_HANDLE_VALUE) {
		DWORD e = GetLastError();
		crt_set_errno_from_win32(e);
		if (e == 2 || e == 18)
			*_errno() = ENOENT;
		return -1;
	}
	return (intptr_t)h;
}

static int find_next(intptr_t h, WIN32_FIND_DATAW *w)
{
	if (!FindNextFileW((HANDLE)h, w)) {
		DWORD e = GetLastError();
		crt_set_errno_from_win32(e);
		if (e == ERROR_NO_MORE_FILES)
			*_errno() = ENOENT;
		return -1;
	}
	return 0;
}

EXPORT intptr_t _findfirst64(const char *spec, struct crt_finddata64 *d)
{
	WIN32_FIND_DATAW w;
	intptr_t h = find_first(spec, &w);

	if (h != -1)
		fill64(d, &w);
	return h;
}

EXPORT int _findnext64(intptr_t h, struct crt_finddata64 *d)
{
	WIN32_FIND_DATAW w;

	if (find_next(h, &w))
		return -1;
	fill64(d, &w);
	return 0;
}

EXPORT intptr_t _findfirsti64(const char *spec, struct crt_finddata64 *d) __attribute__((alias("_findfirst64")));
EXPORT int _findnexti64(intptr_t h, struct crt_finddata64 *d) __attribute__((alias("_findnext64")));

EXPORT intptr_t _findfirst(const char *spec, struct crt_finddata *d)
{
	WIN32_FIND_DATAW w;
	intptr_t h = find_first(spec, &w);

	if (h != -1)
		fill32(d, &w);
	return h;
}

EXPORT int _findnext(intptr_t h, struct crt_finddata *d)
{
	WIN32_FIND_DATAW w;

	if (find_next(h, &w))
		return -1;
	fill32(d, &w);
	return 0;
}

EXPORT intptr_t _wfindfirst64(const WCHAR *spec, struct crt_wfinddata64 *d)
{
	WIN32_FIND_DATAW w;
	HANDLE h = FindFirstFileW(spec, &w);
	struct crt_finddata64 t;

	if (h == INVALID_HANDLE_VALUE) {
		crt_set_errno_from_win32(GetLastError());
		*_errno() = ENOENT;
		return -1;
	}
	fill64(&t, &w);
	memcpy(d, &t, (size_t)((char *)&t.name - (char *)&t));
	memcpy(d->name, w.cFileName, sizeof(d->name));
	return (intptr_t)h;
}

EXPORT int _wfindnext64(intptr_t h, struct crt_wfinddata64 *d)
{
	WIN32_FIND_DATAW w;
	struct crt_finddata64 t;

	if (find_next(h, &w))
		return -1;
	fill64(&t, &w);
	memcpy(d, &t, (size_t)((char *)&t.name - (char *)&t));
	memcpy(d->name, w.cFileName, sizeof(d->name));
	return 0;
}

EXPORT int _findclose(intptr_t h)
{
	return win32_result(FindClose((HANDLE)h));
}

IMPORT DWORD WINAPI GetFileAttributesW(const WCHAR *);
IMPORT BOOL WINAPI SetFileAttributesW(const WCHAR *, DWORD);
IMPORT BOOL WINAPI SetFileTime(HANDLE, const FILETIME *, const FILETIME *, const FILETIME *);

/* _chmod: only the write permission means something: without _S_IWRITE the file becomes read-only. */
EXPORT int _wchmod(const WCHAR *name, int mode)
{
	DWORD a = GetFileAttributesW(name);

	if (a == 0xffffffffu) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	a = (mode & _S_IWRITE) ? a & ~(DWORD)FILE_ATTRIBUTE_READONLY : a | FILE_ATTRIBUTE_READONLY;
	return win32_result(SetFileAttributesW(name, a));
}

EXPORT int _chmod(const char *name, int mode)
{
	WCHAR *w;
	int r;

	if (!name) {
		*_errno() = EINVAL;
		return -1;
	}
	w = crt_to_wide(name);
	if (!w)
		return -1;
	r = _wchmod(w, mode);
	free(w);
	return r;
}

struct crt_utimbuf64 {
	long long actime, modtime;
};

static FILETIME to_filetime(long long t)
{
	uint64_t v = (uint64_t)(t * 10000000 + EPOCH_DIFF);
	FILETIME ft = {(DWORD)v, (DWORD)(v >> 32)};
	return ft;
}

long long _time64(long long *out);

/* Sets the access and modification times (now when times is NULL) through a handle opened for it. */
EXPORT int _futime64(int fd, struct crt_utimbuf64 *times)
{
	HANDLE h = crt_fd_handle(fd);
	FILETIME a, m;

	if (h == INVALID_HANDLE_VALUE)
		return -1;
	if (times) {
		a = to_filetime(times->actime);
		m = to_filetime(times->modtime);
	} else {
		a = m = to_filetime(_time64(NULL));
	}
	return win32_result(SetFileTime(h, NULL, &a, &m));
}

EXPORT int _wutime64(const WCHAR *name, struct crt_utimbuf64 *times)
{
	int fd = _wsopen(name, _O_WRONLY | _O_BINARY, 0x40);
	int r;

	if (fd < 0)
		return -1;
	r = _futime64(fd, times);
	_close(fd);
	return r;
}

EXPORT int _utime64(const char *name, struct crt_utimbuf64 *times)
{
	WCHAR *w;
	int r;

	if (!name) {
		*_errno() = EINVAL;
		return -1;
	}
	w = crt_to_wide(name);
	if (!w)
		return -1;
	r = _wutime64(w, times);
	free(w);
	return r;
}

/* On x64, _utime's struct has 64-bit times too. */
EXPORT int _utime(const char *name, struct crt_utimbuf64 *times) __attribute__((alias("_utime64")));
EXPORT int _wutime(const WCHAR *name, struct crt_utimbuf64 *times) __attribute__((alias("_wutime64")));
EXPORT int _futime(int fd, struct crt_utimbuf64 *times) __attribute__((alias("_futime64")));
