/*
 * The low-level I/O of <io.h>: file descriptors over KERNEL32 handles.
 * A descriptor in text mode turns "\n" into "\r\n" on the way out, and on
 * the way in "\r\n" into "\n" and a Ctrl-Z into the end of the file, as
 * msvcrt does; binary mode passes bytes unchanged.
 */
#include "crt.h"

#define FD_MAX 2048
#define FD_OPEN 0x01
#define FD_TEXT 0x02
#define FD_APPEND 0x04
#define FD_EOF 0x08  /* a Ctrl-Z was read in text mode */
#define FD_DEV 0x10
#define FD_PIPE 0x20

struct fdinfo {
	HANDLE h;
	int flags;
	int peek; /* a byte read ahead while translating "\r\n", or -1 */
};

static struct fdinfo fds[FD_MAX];
extern int _fmode;

static struct fdinfo *fd_get(int fd)
{
	if (fd < 0 || fd >= FD_MAX || !(fds[fd].flags & FD_OPEN)) {
		*_errno() = EBADF;
		*__doserrno() = 0;
		return NULL;
	}
	return &fds[fd];
}

static int type_flags(HANDLE h)
{
	switch (GetFileType(h)) {
	case FILE_TYPE_CHAR:
		return FD_DEV;
	case FILE_TYPE_PIPE:
		return FD_PIPE;
	default:
		return 0;
	}
}

void crt_init_fds(void)
{
	static const DWORD std[3] = {STD_INPUT_HANDLE, STD_OUTPUT_HANDLE, STD_ERROR_HANDLE};

	for (int i = 0; i < FD_MAX; i++)
		fds[i].peek = -1;
	for (int i = 0; i < 3; i++) {
		HANDLE h = GetStdHandle(std[i]);
		if (!h || h == INVALID_HANDLE_VALUE)
			continue;
		fds[i].h = h;
		fds[i].flags = FD_OPEN | FD_TEXT | type_flags(h);
	}
}

/* The lowest free descriptor takes the handle; -1 (EMFILE) when all are used. */
static int fd_take(HANDLE h, int flags)
{
	int fd = -1;

	_lock(CRT_LOCK_FD);
	for (int i = 0; i < FD_MAX; i++)
		if (!(fds[i].flags & FD_OPEN)) {
			fds[i].h = h;
			fds[i].flags = flags | FD_OPEN | type_flags(h);
			fds[i].peek = -1;
			fd = i;
			break;
		}
	_unlock(CRT_LOCK_FD);
	if (fd < 0)
		*_errno() = EMFILE;
	return fd;
}

static int mode_flags(int oflag)
{
	int flags = 0;

	if (oflag & _O_APPEND)
		flags |= FD_APPEND;
	if (oflag & _O_BINARY)
		return flags;
	if (oflag & (_O_TEXT | _O_WTEXT | _O_U16TEXT | _O_U8TEXT))
		return flags | FD_TEXT;
	return _fmode == _O_BINARY ? flags : flags | FD_TEXT;
}

int crt_fd_alloc(HANDLE h, int oflag)
{
	return fd_take(h, mode_flags(oflag));
}

HANDLE crt_fd_handle(int fd)
{
	struct fdinfo *f = fd_get(fd);
	return f ? f->h : INVALID_HANDLE_VALUE;
}

int crt_fd_is_text(int fd)
{
	return fd >= 0 && fd < FD_MAX && (fds[fd].flags & FD_TEXT);
}

EXPORT intptr_t _get_osfhandle(int fd)
{
	return (intptr_t)crt_fd_handle(fd);
}

EXPORT int _open_osfhandle(intptr_t h, int oflag)
{
	return crt_fd_alloc((HANDLE)h, oflag);
}

EXPORT int _wsopen(const WCHAR *path, int oflag, int share, ...)
{
	DWORD access, disposition, attrs = FILE_ATTRIBUTE_NORMAL, sharing;
	HANDLE h;
	int pmode = _S_IREAD | _S_IWRITE, fd;

	if (oflag & _O_CREAT) {
		va_list ap;
		va_start(ap, share);
		pmode = va_arg(ap, int);
		va_end(ap);
	}
	switch (oflag & _O_ACCMODE) {
	case _O_RDONLY:
		access = GENERIC_READ;
		break;
	case _O_WRONLY:
		access = GENERIC_WRITE;
		break;
	case _O_RDWR:
		access = GENERIC_READ | GENERIC_WRITE;
		break;
	default:
		*_errno() = EINVAL;
		return -1;
	}
	if ((oflag & (_O_CREAT | _O_EXCL)) == (_O_CREAT | _O_EXCL))
		disposition = CREATE_NEW;
	else if ((oflag & (_O_CREAT | _O_TRUNC)) == (_O_CREAT | _O_TRUNC))
		disposition = CREATE_ALWAYS;
	else if (oflag & _O_CREAT)
		disposition = OPEN_ALWAYS;
	else if (oflag & _O_TRUNC)
		disposition = TRUNCATE_EXISTING;
	else
		disposition = OPEN_EXISTING;
	if ((oflag & _O_CREAT) && !(pmode & _S_IWRITE))
		attrs = FILE_ATTRIBUTE_READONLY;
	switch (share) {
	case 0x10: /* _SH_DENYRW */
		sharing = 0;
		break;
	case 0x20: /* _SH_DENYWR */
		sharing = FILE_SHARE_READ;
		break;
	case 0x30: /* _SH_DENYRD */
		sharing = FILE_SHARE_WRITE;
		break;
	default: /* _SH_DENYNO */
		sharing = FILE_SHARE_READ | FILE_SHARE_WRITE;
		break;
	}
	if (oflag & _O_TEMPORARY) {
		attrs |= FILE_FLAG_DELETE_ON_CLOSE;
		sharing |= FILE_SHARE_DELETE;
		access |= 0x10000; /* DELETE */
	}
	h = CreateFileW(path, access, sharing, NULL, disposition, attrs, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	fd = crt_fd_alloc(h, oflag);
	if (fd < 0)
		CloseHandle(h);
	return fd;
}

EXPORT int _wopen(const WCHAR *path, int oflag, ...)
{
	int pmode = 0;

	if (oflag & _O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		pmode = va_arg(ap, int);
		va_end(ap);
	}
	return _wsopen(path, oflag, 0x40, pmode);
}

EXPORT int _sopen(const char *path, int oflag, int share, ...)
{
	int pmode = 0, fd;
	WCHAR *w;

	if (oflag & _O_CREAT) {
		va_list ap;
		va_start(ap, share);
		pmode = va_arg(ap, int);
		va_end(ap);
	}
	if (!path) {
		*_errno() = EINVAL;
		return -1;
	}
	w = crt_to_wide(path);
	if (!w)
		return -1;
	fd = _wsopen(w, oflag, share, pmode);
	free(w);
	return fd;
}

EXPORT int _open(const char *path, int oflag, ...)
{
	int pmode = 0;

	if (oflag & _O_CREAT) {
		va_list ap;
		va_start(ap, oflag);
		pmode = va_arg(ap, int);
		va_end(ap);
	}
	return _sopen(path, oflag, 0x40, pmode);
}

EXPORT int _creat(const char *path, int pmode)
{
	return _open(path, _O_CREAT | _O_TRUNC | _O_RDWR, pmode);
}

EXPORT int _wcreat(const WCHAR *path, int pmode)
{
	return _wopen(path, _O_CREAT | _O_TRUNC | _O_RDWR, pmode);
}

EXPORT int _close(int fd)
{
	struct fdinfo *f;
	HANDLE h;

	_lock(CRT_LOCK_FD);
	f = fd_get(fd);
	if (!f) {
		_unlock(CRT_LOCK_FD);
		return -1;
	}
	h = f->h;
	f->flags = 0;
	f->h = NULL;
	f->peek = -1;
	_unlock(CRT_LOCK_FD);
	if (!CloseHandle(h)) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	return 0;
}

static int raw_write(struct fdinfo *f, const char *p, DWORD n)
{
	while (n) {
		DWORD done = 0;
		if (!WriteFile(f->h, p, n, &done, NULL)) {
			DWORD e = GetLastError();
			crt_set_errno_from_win32(e);
			return -1;
		}
		if (!done) {
			*_errno() = ENOSPC;
			return -1;
		}
		p += done;
		n -= done;
	}
	return 0;
}

EXPORT int _write(int fd, const void *buf, unsigned n)
{
	struct fdinfo *f = fd_get(fd);
	const char *p = buf;
	char out[1024];
	size_t o = 0;

	if (!f)
		return -1;
	if (!n)
		return 0;
	if (!buf) {
		*_errno() = EINVAL;
		return -1;
	}
	if (f->flags & FD_APPEND)
		SetFilePointerEx(f->h, 0, NULL, FILE_END);
	if (!(f->flags & FD_TEXT))
		return raw_write(f, p, n) ? -1 : (int)n;
	for (unsigned i = 0; i < n; i++) {
		if (p[i] == '\n')
			out[o++] = '\r';
		out[o++] = p[i];
		if (o >= sizeof(out) - 1) {
			if (raw_write(f, out, (DWORD)o))
				return -1;
			o = 0;
		}
	}
	if (o && raw_write(f, out, (DWORD)o))
		return -1;
	return (int)n;
}

/* One ReadFile; a broken pipe is the end of the data, as for msvcrt. */
static int raw_read(struct fdinfo *f, char *p, DWORD n)
{
	DWORD done = 0;

	if (f->peek >= 0 && n) {
		p[0] = (char)f->peek;
		f->peek = -1;
		return 1;
	}
	if (!ReadFile(f->h, p, n, &done, NULL)) {
		DWORD e = GetLastError();
		if (e == ERROR_BROKEN_PIPE)
			return 0;
		crt_set_errno_from_win32(e);
		return -1;
	}
	return (int)done;
}

EXPORT int _read(int fd, void *buf, unsigned n)
{
	struct fdinfo *f = fd_get(fd);
	char *p = buf;
	int got, out = 0;

	if (!f)
		return -1;
	if (!n)
		return 0;
	if (!buf) {
		*_errno() = EINVAL;
		return -1;
	}
	if ((int)n < 0)
		n = 0x7fffffff;
	if (!(f->flags & FD_TEXT))
		return raw_read(f, p, n);
	if (f->flags & FD_EOF)
		return 0;
	got = raw_read(f, p, n);
	if (got <= 0)
		return got;
	for (int i = 0; i < got; i++) {
		char c = p[i];
		if (c == 0x1a) { /* Ctrl-Z: the end of a text file */
			f->flags |= FD_EOF;
			break;
		}
		if (c == '\r') {
			char next;
			if (i + 1 < got) {
				if (p[i + 1] == '\n')
					continue; /* the '\n' is kept next round */
				p[out++] = c;
				continue;
			}
			/* the last byte read is '\r': look at the next one */
			if (raw_read(f, &next, 1) == 1) {
				if (next == '\n') {
					p[out++] = '\n';
					continue;
				}
				f->peek = (unsigned char)next;
			}
			p[out++] = c;
			continue;
		}
		p[out++] = c;
	}
	return out;
}

EXPORT long long _lseeki64(int fd, long long off, int whence)
{
	struct fdinfo *f = fd_get(fd);
	LONGLONG pos = 0;

	if (!f)
		return -1;
	if (whence < 0 || whence > 2) {
		*_errno() = EINVAL;
		return -1;
	}
	if (whence == FILE_CURRENT && f->peek >= 0)
		off--; /* the byte read ahead is not consumed yet */
	if (!SetFilePointerEx(f->h, off, &pos, (DWORD)whence)) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	f->peek = -1;
	f->flags &= ~FD_EOF;
	return pos;
}

EXPORT long _lseek(int fd, long off, int whence)
{
	long long r = _lseeki64(fd, off, whence);

	if (r > 0x7fffffff) {
		*_errno() = EINVAL;
		return -1;
	}
	return (long)r;
}

EXPORT long long _telli64(int fd)
{
	return _lseeki64(fd, 0, FILE_CURRENT);
}

EXPORT long _tell(int fd)
{
	return _lseek(fd, 0, FILE_CURRENT);
}

EXPORT long long _filelengthi64(int fd)
{
	long long here = _lseeki64(fd, 0, FILE_CURRENT), end;

	if (here < 0)
		return -1;
	end = _lseeki64(fd, 0, FILE_END);
	_lseeki64(fd, here, FILE_BEGIN);
	return end;
}

EXPORT long _filelength(int fd)
{
	long long n = _filelengthi64(fd);
	return n > 0x7fffffff ? -1 : (long)n;
}

EXPORT int _eof(int fd)
{
	long long here = _lseeki64(fd, 0, FILE_CURRENT), end;

	if (here < 0)
		return -1;
	end = _lseeki64(fd, 0, FILE_END);
	_lseeki64(fd, here, FILE_BEGIN);
	return here >= end;
}

EXPORT int _isatty(int fd)
{
	return fd >= 0 && fd < FD_MAX && (fds[fd].flags & (FD_OPEN | FD_DEV)) == (FD_OPEN | FD_DEV) ? 0x40 : 0;
}

EXPORT int _setmode(int fd, int mode)
{
	struct fdinfo *f = fd_get(fd);
	int old;

	if (!f)
		return -1;
	if (mode != _O_TEXT && mode != _O_BINARY && mode != _O_WTEXT && mode != _O_U8TEXT && mode != _O_U16TEXT) {
		*_errno() = EINVAL;
		return -1;
	}
	old = (f->flags & FD_TEXT) ? _O_TEXT : _O_BINARY;
	if (mode == _O_BINARY)
		f->flags &= ~FD_TEXT;
	else
		f->flags |= FD_TEXT;
	return old;
}

EXPORT int _commit(int fd)
{
	struct fdinfo *f = fd_get(fd);

	if (!f)
		return -1;
	if (!FlushFileBuffers(f->h) && !(f->flags & (FD_DEV | FD_PIPE))) {
		crt_set_errno_from_win32(GetLastError());
		return -1;
	}
	return 0;
}

EXPORT int _chsize_s(int fd, long long size)
{
	struct fdinfo *f = fd_get(fd);
	long long here;
	int ok;

	if (!f)
		return EBADF;
	if (size < 0) {
		*_errno() = EINVAL;
		return EINVAL;
	}
	here = _lseeki64(fd, 0, FILE_CURRENT);
	if (here < 0 || _lseeki64(fd, size, FILE_BEGIN) < 0)
		return *_errno();
	ok = SetEndOfFile(f->h);
	if (!ok)
		crt_set_errno_from_win32(GetLastError());
	_lseeki64(fd, here, FILE_BEGIN);
	return ok ? 0 : *_errno();
}

EXPORT int _chsize(int fd, long size)
{
	return _chsize_s(fd, size) ? -1 : 0;
}

IMPORT BOOL WINAPI DuplicateHandle(HANDLE, HANDLE, HANDLE, HANDLE *, DWORD, BOOL, DWORD);
IMPORT HANDLE WINAPI GetCurrentProcess(void);

static HANDLE dup_handle(HANDLE h)
{
	HANDLE copy = NULL;

	if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &copy, 0, 1, 2 /* DUPLICATE_SAME_ACCESS */)) {
		crt_set_errno_from_win32(GetLastError());
		return NULL;
	}
	return copy;
}

EXPORT int _dup(int fd)
{
	struct fdinfo *f = fd_get(fd);
	HANDLE h;
	int nfd;

	if (!f)
		return -1;
	h = dup_handle(f->h);
	if (!h)
		return -1;
	nfd = fd_take(h, f->flags & (FD_TEXT | FD_APPEND));
	if (nfd < 0)
		CloseHandle(h);
	return nfd;
}

EXPORT int _dup2(int from, int to)
{
	struct fdinfo *f = fd_get(from);
	HANDLE h;

	if (!f)
		return -1;
	if (to < 0 || to >= FD_MAX) {
		*_errno() = EBADF;
		return -1;
	}
	if (from == to)
		return 0;
	h = dup_handle(f->h);
	if (!h)
		return -1;
	if (fds[to].flags & FD_OPEN)
		_close(to);
	_lock(CRT_LOCK_FD);
	fds[to].h = h;
	fds[to].flags = FD_OPEN | (f->flags & (FD_TEXT | FD_APPEND)) | type_flags(h);
	fds[to].peek = -1;
	_unlock(CRT_LOCK_FD);
	return 0;
}
