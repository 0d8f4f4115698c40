/*
 * Streams (<stdio.h>) over the descriptors of io.c, in the FILE layout of
 * mingw-w64's headers: _base the buffer, _ptr the next byte, _cnt what is
 * left to read (or room left to write), _bufsiz its size, _file the
 * descriptor, _flag the _IO bits. _iob holds stdin, stdout, stderr and
 * the first streams fopen hands out; further ones are allocated.
 * stdout and stderr on a console are written at the end of every call;
 * stdout elsewhere is fully buffered, stderr unbuffered.
 *
 * "Every call" is the outermost one holding the stream's lock: an unbuffered
 * stream's bytes, and a console's flush, are held until that call ends
 * (crt_stream_done, or the last _unlock_file). A printf that mingw's own
 * runtime writes a character at a time (fputc under its own _lock_file) is
 * then one write, as msvcrt's temporary buffering of unbuffered streams makes
 * it on Windows, not one NtWriteFile (one stop) per character.
 */
#include "crt.h"

#define IOB_COUNT 20
#define MAX_STREAMS 512

/* Output held for the outermost call on an unbuffered stream, and whether a console flush waits for it too. */
#define HELD_SIZE 512
struct held {
	int len;
	int console_flush;
	long ours; /* how many of the lock's holds came through _lock_file (_unlock_file releases what is held) */
	char buf[HELD_SIZE];
};

struct big_stream {
	FILE f;
	CRITICAL_SECTION cs;
	struct held held;
};

EXPORT FILE _iob[IOB_COUNT];
static CRITICAL_SECTION iob_locks[IOB_COUNT];
static struct held iob_held[IOB_COUNT];
static FILE *streams[MAX_STREAMS]; /* every stream in use or free for reuse; [0..19] are _iob */
static int max_streams = MAX_STREAMS;

static int is_iob(FILE *f)
{
	return f >= _iob && f < _iob + IOB_COUNT;
}

static CRITICAL_SECTION *lock_of(FILE *f)
{
	return is_iob(f) ? &iob_locks[f - _iob] : &((struct big_stream *)f)->cs;
}

static struct held *held_of(FILE *f)
{
	return is_iob(f) ? &iob_held[f - _iob] : &((struct big_stream *)f)->held;
}

/*
 * How many times this thread holds the stream's lock, when every hold came through _lock_file (and so its
 * last release through _unlock_file, which writes what is held); 0 otherwise: another thread holds it, or a
 * caller entered the critical section itself (mingw-w64's _lock_file does for a stream that is not _iob's),
 * and output cannot wait for a release it would not see.
 */
static long lock_depth(FILE *f)
{
	CRITICAL_SECTION *cs = lock_of(f);

	if (cs->OwningThread != (HANDLE)(uintptr_t)GetCurrentThreadId() || held_of(f)->ours != cs->RecursionCount)
		return 0;
	return cs->RecursionCount;
}

static int flush_unlocked(FILE *f);

/* Writes out what is held for the stream (0, or EOF with _IOERR). */
static int write_held(FILE *f)
{
	struct held *h = held_of(f);
	int n = h->len;

	h->len = 0;
	if (n && _write(f->_file, h->buf, (unsigned)n) != n) {
		f->_flag |= _IOERR;
		return EOF;
	}
	return 0;
}

/* The outermost call on the stream ends: what it held goes out. */
static void release_held(FILE *f)
{
	struct held *h = held_of(f);

	write_held(f);
	if (h->console_flush) {
		h->console_flush = 0;
		flush_unlocked(f);
	}
}

EXPORT void _lock_file(FILE *f)
{
	EnterCriticalSection(lock_of(f));
	held_of(f)->ours++;
}

EXPORT void _unlock_file(FILE *f)
{
	if (lock_depth(f) == 1)
		release_held(f);
	held_of(f)->ours--;
	LeaveCriticalSection(lock_of(f));
}

EXPORT FILE *__iob_func(void)
{
	return _iob;
}

EXPORT FILE *__p__iob(void)
{
	return _iob;
}

void crt_init_stdio(void)
{
	for (int i = 0; i < IOB_COUNT; i++) {
		InitializeCriticalSection(&iob_locks[i]);
		streams[i] = &_iob[i];
		_iob[i]._file = -1;
	}
	for (int i = 0; i < 3; i++) {
		_iob[i]._file = i;
		_iob[i]._flag = i == 0 ? _IOREAD : _IOWRT;
		if (_isatty(i) && i > 0)
			_iob[i]._flag |= _IOCHARDEV;
		if (i == 2)
			_iob[i]._flag |= _IONBF;
		_iob[i]._tmpfname = NULL;
	}
}

/* A free stream, locked; NULL with EMFILE when there is none. */
static FILE *stream_alloc(void)
{
	FILE *f = NULL;

	_lock(CRT_LOCK_STREAMS);
	for (int i = 3; i < max_streams; i++) {
		if (!streams[i]) {
			struct big_stream *b = calloc(1, sizeof(*b));
			if (!b)
				break;
			InitializeCriticalSection(&b->cs);
			streams[i] = &b->f;
		} else if (streams[i]->_flag & (_IOREAD | _IOWRT | _IORW)) {
			continue;
		}
		f = streams[i];
		memset(f, 0, sizeof(*f));
		f->_file = -1;
		f->_flag = _IOREAD; /* taken: the caller sets the real flags */
		break;
	}
	_unlock(CRT_LOCK_STREAMS);
	if (!f)
		*_errno() = EMFILE;
	return f;
}

static void stream_release(FILE *f)
{
	_lock(CRT_LOCK_STREAMS);
	f->_flag = 0;
	f->_file = -1;
	_unlock(CRT_LOCK_STREAMS);
}

static int get_buffer(FILE *f)
{
	if (f->_base)
		return 1;
	if (f->_flag & _IONBF) {
		f->_base = (char *)&f->_charbuf;
		f->_bufsiz = 1;
	} else {
		f->_base = malloc(CRT_STREAM_BUF);
		if (!f->_base) {
			f->_flag |= _IONBF;
			f->_base = (char *)&f->_charbuf;
			f->_bufsiz = 1;
		} else {
			f->_flag |= _IOMYBUF;
			f->_bufsiz = CRT_STREAM_BUF;
		}
	}
	f->_ptr = f->_base;
	f->_cnt = 0;
	return 1;
}

/* Writes out what the buffer holds (unlocked). */
static int flush_unlocked(FILE *f)
{
	int ret = write_held(f);

	if ((f->_flag & _IOWRT) && f->_base && f->_ptr > f->_base) {
		int n = (int)(f->_ptr - f->_base);
		if (_write(f->_file, f->_base, (unsigned)n) != n) {
			f->_flag |= _IOERR;
			ret = EOF;
		}
	}
	if (f->_flag & _IORW)
		f->_flag &= ~(_IOWRT | _IOREAD);
	f->_ptr = f->_base;
	f->_cnt = 0;
	return ret;
}

int crt_stream_write(FILE *f, const char *p, size_t n)
{
	if (!(f->_flag & _IOWRT)) {
		if (!(f->_flag & _IORW) || (f->_flag & _IOSTRG)) {
			f->_flag |= _IOERR;
			*_errno() = EBADF;
			return EOF;
		}
		/* an update stream turns from reading to writing: what was read ahead is given back */
		if (f->_flag & _IOREAD) {
			if (f->_cnt > 0)
				_lseeki64(f->_file, -(long long)f->_cnt, FILE_CURRENT);
			f->_ptr = f->_base;
			f->_cnt = 0;
			f->_flag &= ~(_IOREAD | _IOEOF);
		}
		f->_flag |= _IOWRT;
	}
	if (f->_flag & _IOSTRG) { /* a string stream: _cnt is the room left */
		size_t room = f->_cnt > 0 ? (size_t)f->_cnt : 0;
		size_t k = n < room ? n : room;
		memcpy(f->_ptr, p, k);
		f->_ptr += k;
		f->_cnt -= (int)k;
		return k == n ? 0 : EOF;
	}
	get_buffer(f);
	if ((f->_flag & _IONBF) && lock_depth(f) > 0) {
		/* held for the end of the outermost call (_unlock_file); a piece bigger than the room goes at once */
		struct held *h = held_of(f);

		if ((size_t)h->len + n > HELD_SIZE && write_held(f))
			return EOF;
		if (n <= HELD_SIZE) {
			memcpy(h->buf + h->len, p, n);
			h->len += (int)n;
			return 0;
		}
	}
	if ((f->_flag & _IONBF) || n >= (size_t)f->_bufsiz) {
		if (flush_unlocked(f))
			return EOF;
		f->_flag |= _IOWRT;
		while (n) {
			unsigned chunk = n > 0x40000000 ? 0x40000000 : (unsigned)n;
			if (_write(f->_file, p, chunk) != (int)chunk) {
				f->_flag |= _IOERR;
				return EOF;
			}
			p += chunk;
			n -= chunk;
		}
		return 0;
	}
	while (n) {
		size_t room = (size_t)(f->_base + f->_bufsiz - f->_ptr), k = n < room ? n : room;
		memcpy(f->_ptr, p, k);
		f->_ptr += k;
		p += k;
		n -= k;
		f->_cnt = (int)(f->_bufsiz - (f->_ptr - f->_base));
		if (f->_ptr == f->_base + f->_bufsiz) {
			if (flush_unlocked(f))
				return EOF;
			f->_flag |= _IOWRT;
		}
	}
	return 0;
}

/* The end of a public output call: a console is written at once. */
void crt_stream_done(FILE *f)
{
	if (lock_depth(f) > 1) { /* a caller holds the stream: its end writes (_unlock_file) */
		if (f->_flag & _IOCHARDEV)
			held_of(f)->console_flush = 1;
		return;
	}
	write_held(f);
	if (f->_flag & _IOCHARDEV)
		flush_unlocked(f);
}

static int fill(FILE *f)
{
	int n;

	if (f->_flag & _IOSTRG)
		return EOF;
	if (!(f->_flag & _IOREAD)) {
		if (!(f->_flag & _IORW)) {
			f->_flag |= _IOERR;
			*_errno() = EBADF;
			return EOF;
		}
		if ((f->_flag & _IOWRT) && flush_unlocked(f))
			return EOF;
		f->_flag &= ~_IOWRT;
		f->_flag |= _IOREAD;
	}
	/* reading stdin writes out what a console stdout holds, so a prompt shows */
	if (f == &_iob[0] && (_iob[1]._flag & _IOCHARDEV))
		flush_unlocked(&_iob[1]);
	get_buffer(f);
	n = _read(f->_file, f->_base, (unsigned)f->_bufsiz);
	if (n <= 0) {
		f->_flag |= n == 0 ? _IOEOF : _IOERR;
		f->_cnt = 0;
		return EOF;
	}
	f->_ptr = f->_base;
	f->_cnt = n;
	return 0;
}

int crt_stream_getc(FILE *f)
{
	if (f->_cnt <= 0 && fill(f))
		return EOF;
	f->_cnt--;
	return (unsigned char)*f->_ptr++;
}

int crt_stream_ungetc(int c, FILE *f)
{
	if (c == EOF)
		return EOF;
	if (!(f->_flag & _IOREAD)) {
		if (!(f->_flag & _IORW) || (f->_flag & _IOWRT))
			return EOF;
		f->_flag |= _IOREAD;
	}
	get_buffer(f);
	if (f->_ptr > f->_base) {
		f->_ptr--;
	} else if (f->_cnt < f->_bufsiz) {
		memmove(f->_base + 1, f->_ptr, (size_t)f->_cnt);
		f->_ptr = f->_base;
	} else {
		return EOF;
	}
	*f->_ptr = (char)c;
	f->_cnt++;
	f->_flag &= ~_IOEOF;
	return c & 0xff;
}

EXPORT int _filbuf(FILE *f)
{
	return crt_stream_getc(f);
}

EXPORT int _flsbuf(int c, FILE *f)
{
	char ch = (char)c;
	return crt_stream_write(f, &ch, 1) ? EOF : (unsigned char)ch;
}

/* fopen's mode: the _open flags and the stream flags; -1 for a bad mode. */
static int parse_mode(const char *mode, int *oflag, int *sflag)
{
	int plus = 0;

	switch (*mode++) {
	case 'r':
		*oflag = _O_RDONLY;
		*sflag = _IOREAD;
		break;
	case 'w':
		*oflag = _O_WRONLY | _O_CREAT | _O_TRUNC;
		*sflag = _IOWRT;
		break;
	case 'a':
		*oflag = _O_WRONLY | _O_CREAT | _O_APPEND;
		*sflag = _IOWRT;
		break;
	default:
		return -1;
	}
	for (; *mode && *mode != ','; mode++) {
		switch (*mode) {
		case '+':
			plus = 1;
			break;
		case 'b':
			*oflag |= _O_BINARY;
			break;
		case 't':
			*oflag |= _O_TEXT;
			break;
		case 'D':
			*oflag |= _O_TEMPORARY;
			break;
		case 'T':
			*oflag |= _O_SHORT_LIVED;
			break;
		case 'N':
			*oflag |= _O_NOINHERIT;
			break;
		case 'c': case 'n': case 'S': case 'R': case ' ':
			break;
		default:
			return -1;
		}
	}
	if (plus) {
		*oflag = (*oflag & ~_O_ACCMODE) | _O_RDWR;
		*sflag = _IORW;
	}
	return 0;
}

static FILE *stream_on_fd(int fd, int sflag)
{
	FILE *f = stream_alloc();

	if (!f)
		return NULL;
	f->_file = fd;
	f->_flag = sflag;
	return f;
}

EXPORT FILE *_wfsopen(const WCHAR *path, const WCHAR *mode, int share)
{
	char m[16];
	size_t i = 0;
	int oflag, sflag, fd;
	FILE *f;

	if (!path || !mode) {
		*_errno() = EINVAL;
		return NULL;
	}
	for (; mode[i] && i < sizeof(m) - 1; i++)
		m[i] = mode[i] < 0x80 ? (char)mode[i] : '?';
	m[i] = 0;
	if (parse_mode(m, &oflag, &sflag)) {
		*_errno() = EINVAL;
		return NULL;
	}
	fd = _wsopen(path, oflag, share, _S_IREAD | _S_IWRITE);
	if (fd < 0)
		return NULL;
	f = stream_on_fd(fd, sflag);
	if (!f)
		_close(fd);
	return f;
}

EXPORT FILE *_fsopen(const char *path, const char *mode, int share)
{
	WCHAR *wp, *wm;
	FILE *f;

	if (!path || !mode) {
		*_errno() = EINVAL;
		return NULL;
	}
	wp = crt_to_wide(path);
	wm = crt_to_wide(mode);
	f = wp && wm ? _wfsopen(wp, wm, 0x40) : NULL;
	(void)share;
	free(wp);
	free(wm);
	return f;
}

EXPORT FILE *fopen(const char *path, const char *mode)
{
	return _fsopen(path, mode, 0x40);
}

EXPORT FILE *_wfopen(const WCHAR *path, const WCHAR *mode)
{
	return _wfsopen(path, mode, 0x40);
}

EXPORT FILE *_fdopen(int fd, const char *mode)
{
	int oflag, sflag;

	if (!mode || parse_mode(mode, &oflag, &sflag) || crt_fd_handle(fd) == INVALID_HANDLE_VALUE) {
		if (mode)
			*_errno() = EINVAL;
		return NULL;
	}
	if (oflag & (_O_TEXT | _O_BINARY))
		_setmode(fd, oflag & (_O_TEXT | _O_BINARY));
	return stream_on_fd(fd, sflag);
}

EXPORT FILE *_wfdopen(int fd, const WCHAR *mode)
{
	char m[16];
	size_t i = 0;

	if (!mode) {
		*_errno() = EINVAL;
		return NULL;
	}
	for (; mode[i] && i < sizeof(m) - 1; i++)
		m[i] = mode[i] < 0x80 ? (char)mode[i] : '?';
	m[i] = 0;
	return _fdopen(fd, m);
}

static int close_unlocked(FILE *f)
{
	int r = 0;

	if (!(f->_flag & (_IOREAD | _IOWRT | _IORW)))
		return EOF;
	r = flush_unlocked(f);
	if (_close(f->_file))
		r = EOF;
	if (f->_flag & _IOMYBUF)
		free(f->_base);
	f->_base = f->_ptr = NULL;
	f->_cnt = 0;
	f->_bufsiz = 0;
	if (f->_tmpfname) {
		free(f->_tmpfname);
		f->_tmpfname = NULL;
	}
	return r;
}

EXPORT int fclose(FILE *f)
{
	int r;

	if (!f) {
		*_errno() = EINVAL;
		return EOF;
	}
	_lock_file(f);
	r = close_unlocked(f);
	_unlock_file(f);
	stream_release(f);
	return r;
}

EXPORT FILE *_wfreopen(const WCHAR *path, const WCHAR *mode, FILE *f)
{
	char m[16];
	size_t i = 0;
	int oflag, sflag, fd;

	if (!path || !mode || !f) {
		*_errno() = EINVAL;
		return NULL;
	}
	for (; mode[i] && i < sizeof(m) - 1; i++)
		m[i] = mode[i] < 0x80 ? (char)mode[i] : '?';
	m[i] = 0;
	_lock_file(f);
	close_unlocked(f);
	f->_flag = 0;
	if (parse_mode(m, &oflag, &sflag)) {
		*_errno() = EINVAL;
		goto fail;
	}
	fd = _wsopen(path, oflag, 0x40, _S_IREAD | _S_IWRITE);
	if (fd < 0)
		goto fail;
	f->_file = fd;
	f->_flag = sflag;
	if (fd <= 2 && _isatty(fd) && fd > 0)
		f->_flag |= _IOCHARDEV;
	_unlock_file(f);
	return f;
fail:
	_unlock_file(f);
	stream_release(f);
	return NULL;
}

EXPORT FILE *freopen(const char *path, const char *mode, FILE *f)
{
	WCHAR *wp = path ? crt_to_wide(path) : NULL, *wm = mode ? crt_to_wide(mode) : NULL;
	FILE *r = wp && wm ? _wfreopen(wp, wm, f) : NULL;

	if (!path || !mode)
		*_errno() = EINVAL;
	free(wp);
	free(wm);
	return r;
}

EXPORT int fflush(FILE *f)
{
	int r;

	if (!f) {
		crt_flush_all_streams();
		return 0;
	}
	_lock_file(f);
	r = flush_unlocked(f);
	_unlock_file(f);
	return r;
}

/* Every open stream written out; returns how many streams are open. */
static int flush_all(int close_them)
{
	int n = 0;

	for (int i = 0; i < max_streams; i++) {
		FILE *f = streams[i];
		if (!f || !(f->_flag & (_IOREAD | _IOWRT | _IORW)))
			continue;
		if (close_them && i >= 3) {
			fclose(f);
		} else {
			_lock_file(f);
			flush_unlocked(f);
			_unlock_file(f);
		}
		n++;
	}
	return n;
}

void crt_flush_all_streams(void)
{
	flush_all(0);
}

EXPORT int _flushall(void)
{
	return flush_all(0);
}

EXPORT int _fcloseall(void)
{
	return flush_all(1) - 3;
}

EXPORT int fputc(int c, FILE *f)
{
	char ch = (char)c;
	int r;

	_lock_file(f);
	r = crt_stream_write(f, &ch, 1) ? EOF : (unsigned char)ch;
	crt_stream_done(f);
	_unlock_file(f);
	return r;
}

EXPORT int putc(int c, FILE *f) __attribute__((alias("fputc")));

EXPORT int putchar(int c)
{
	return fputc(c, &_iob[1]);
}

EXPORT int _fputchar(int c)
{
	return fputc(c, &_iob[1]);
}

EXPORT int fgetc(FILE *f)
{
	int c;

	_lock_file(f);
	c = crt_stream_getc(f);
	_unlock_file(f);
	return c;
}

EXPORT int getc(FILE *f) __attribute__((alias("fgetc")));

EXPORT int getchar(void)
{
	return fgetc(&_iob[0]);
}

EXPORT int _fgetchar(void)
{
	return fgetc(&_iob[0]);
}

EXPORT int ungetc(int c, FILE *f)
{
	int r;

	_lock_file(f);
	r = crt_stream_ungetc(c, f);
	_unlock_file(f);
	return r;
}

EXPORT int fputs(const char *s, FILE *f)
{
	int r;

	_lock_file(f);
	r = crt_stream_write(f, s, strlen(s)) ? EOF : 0;
	crt_stream_done(f);
	_unlock_file(f);
	return r;
}

EXPORT int puts(const char *s)
{
	FILE *f = &_iob[1];
	int r;

	_lock_file(f);
	r = crt_stream_write(f, s, strlen(s)) || crt_stream_write(f, "\n", 1) ? EOF : 0;
	crt_stream_done(f);
	_unlock_file(f);
	return r;
}

EXPORT char *fgets(char *s, int n, FILE *f)
{
	int i = 0, c = 0;

	if (!s || n <= 0 || !f) {
		*_errno() = EINVAL;
		return NULL;
	}
	_lock_file(f);
	while (i < n - 1) {
		c = crt_stream_getc(f);
		if (c == EOF)
			break;
		s[i++] = (char)c;
		if (c == '\n')
			break;
	}
	_unlock_file(f);
	if (i == 0 || (c == EOF && (f->_flag & _IOERR)))
		return NULL;
	s[i] = 0;
	return s;
}

EXPORT size_t fwrite(const void *p, size_t size, size_t count, FILE *f)
{
	size_t total, done;

	if (!size || !count)
		return 0;
	if (count > SIZE_MAX / size) {
		*_errno() = EINVAL;
		return 0;
	}
	total = size * count;
	_lock_file(f);
	if (crt_stream_write(f, p, total)) {
		/* what was written before the failure is not known exactly: count none of the last item */
		done = 0;
	} else {
		done = count;
	}
	crt_stream_done(f);
	_unlock_file(f);
	return done;
}

EXPORT size_t fread(void *p, size_t size, size_t count, FILE *f)
{
	size_t total, got = 0;
	char *out = p;

	if (!size || !count)
		return 0;
	if (count > SIZE_MAX / size) {
		*_errno() = EINVAL;
		return 0;
	}
	total = size * count;
	_lock_file(f);
	while (got < total) {
		size_t k;
		if (f->_cnt <= 0) {
			/* a large binary read goes straight into the caller's buffer */
			if (total - got >= CRT_STREAM_BUF && !crt_fd_is_text(f->_file) && (f->_flag & _IOREAD) &&
			    !(f->_flag & _IOSTRG)) {
				unsigned chunk = (total - got) > 0x40000000 ? 0x40000000 : (unsigned)(total - got);
				int n = _read(f->_file, out + got, chunk);
				if (n <= 0) {
					f->_flag |= n == 0 ? _IOEOF : _IOERR;
					break;
				}
				got += (size_t)n;
				continue;
			}
			if (fill(f))
				break;
		}
		k = total - got < (size_t)f->_cnt ? total - got : (size_t)f->_cnt;
		memcpy(out + got, f->_ptr, k);
		f->_ptr += k;
		f->_cnt -= (int)k;
		got += k;
	}
	_unlock_file(f);
	return got / size;
}

EXPORT int feof(FILE *f)
{
	return f->_flag & _IOEOF;
}

EXPORT int ferror(FILE *f)
{
	return f->_flag & _IOERR;
}

EXPORT void clearerr(FILE *f)
{
	_lock_file(f);
	f->_flag &= ~(_IOERR | _IOEOF);
	_unlock_file(f);
}

EXPORT int _fileno(FILE *f)
{
	return f->_file;
}

EXPORT int fileno(FILE *f) __attribute__((alias("_fileno")));

/* The stream's position: the descriptor's, less what is buffered unread, plus what is buffered unwritten. */
static long long tell_unlocked(FILE *f)
{
	long long pos = _telli64(f->_file);
	int text = crt_fd_is_text(f->_file);

	if (pos < 0)
		return -1;
	if ((f->_flag & _IOREAD) && f->_cnt > 0) {
		pos -= f->_cnt;
		if (text)
			for (int i = 0; i < f->_cnt; i++)
				if (f->_ptr[i] == '\n')
					pos--;
	} else if ((f->_flag & _IOWRT) && f->_base && f->_ptr > f->_base) {
		pos += f->_ptr - f->_base;
		if (text)
			for (char *p = f->_base; p < f->_ptr; p++)
				if (*p == '\n')
					pos++;
	}
	return pos;
}

EXPORT long long _ftelli64(FILE *f)
{
	long long r;

	_lock_file(f);
	r = tell_unlocked(f);
	_unlock_file(f);
	return r;
}

EXPORT long ftell(FILE *f)
{
	long long r = _ftelli64(f);

	if (r > 0x7fffffff) {
		*_errno() = EINVAL;
		return -1;
	}
	return (long)r;
}

EXPORT int _fseeki64(FILE *f, long long off, int whence)
{
	int r = 0;

	if (whence < 0 || whence > 2) {
		*_errno() = EINVAL;
		return -1;
	}
	_lock_file(f);
	if (whence == FILE_CURRENT) {
		long long here = tell_unlocked(f);
		if (here < 0) {
			r = -1;
			goto out;
		}
		off += here;
		whence = FILE_BEGIN;
	}
	flush_unlocked(f);
	if (f->_flag & _IORW)
		f->_flag &= ~(_IOREAD | _IOWRT);
	f->_ptr = f->_base;
	f->_cnt = 0;
	if (_lseeki64(f->_file, off, whence) < 0)
		r = -1;
	else
		f->_flag &= ~_IOEOF;
out:
	_unlock_file(f);
	return r;
}

EXPORT int fseek(FILE *f, long off, int whence)
{
	return _fseeki64(f, off, whence);
}

EXPORT void rewind(FILE *f)
{
	_fseeki64(f, 0, FILE_BEGIN);
	clearerr(f);
}

EXPORT int fgetpos(FILE *f, long long *pos)
{
	*pos = _ftelli64(f);
	return *pos < 0 ? -1 : 0;
}

EXPORT int fsetpos(FILE *f, const long long *pos)
{
	return _fseeki64(f, *pos, FILE_BEGIN);
}

EXPORT int setvbuf(FILE *f, char *buf, int mode, size_t size)
{
	if ((mode != _IOFBF && mode != _IOLBF && mode != _IONBF) || (mode != _IONBF && (size < 2 || size > 0x7fffffff))) {
		*_errno() = EINVAL;
		return -1;
	}
	_lock_file(f);
	flush_unlocked(f);
	if (f->_flag & _IOMYBUF)
		free(f->_base);
	f->_flag &= ~(_IOMYBUF | _IOUSERBUF | _IONBF | _IOLINEBUF);
	f->_base = f->_ptr = NULL;
	f->_cnt = 0;
	if (mode == _IONBF) {
		f->_flag |= _IONBF;
		f->_base = (char *)&f->_charbuf;
		f->_bufsiz = 1;
	} else if (buf) {
		f->_flag |= _IOUSERBUF;
		f->_base = buf;
		f->_bufsiz = (int)(size & ~(size_t)1);
	} else {
		f->_base = malloc(size);
		if (f->_base) {
			f->_flag |= _IOMYBUF;
			f->_bufsiz = (int)size;
		} else {
			f->_flag |= _IONBF;
			f->_base = (char *)&f->_charbuf;
			f->_bufsiz = 1;
		}
	}
	/* a chosen buffer ends the console's write-at-once, as the program asked for buffering */
	if (mode != _IONBF)
		f->_flag &= ~_IOCHARDEV;
	f->_ptr = f->_base;
	_unlock_file(f);
	return 0;
}

EXPORT void setbuf(FILE *f, char *buf)
{
	if (buf)
		setvbuf(f, buf, _IOFBF, BUFSIZ);
	else
		setvbuf(f, NULL, _IONBF, 0);
}

EXPORT int _getmaxstdio(void)
{
	return max_streams;
}

EXPORT int _setmaxstdio(int n)
{
	if (n < IOB_COUNT || n > MAX_STREAMS) {
		*_errno() = EINVAL;
		return -1;
	}
	max_streams = n;
	return n;
}

/* Wide characters on a stream: UTF-8 bytes, whatever its mode. */
EXPORT WCHAR fputwc(WCHAR c, FILE *f)
{
	char buf[4];
	int n = WideCharToMultiByte(CP_UTF8, 0, &c, 1, buf, sizeof(buf), NULL, NULL);
	int r;

	if (n <= 0) {
		*_errno() = EILSEQ;
		return 0xFFFF;
	}
	_lock_file(f);
	r = crt_stream_write(f, buf, (size_t)n);
	crt_stream_done(f);
	_unlock_file(f);
	return r ? 0xFFFF : c;
}

EXPORT WCHAR putwc(WCHAR c, FILE *f) __attribute__((alias("fputwc")));

EXPORT WCHAR _fputwchar(WCHAR c)
{
	return fputwc(c, &_iob[1]);
}

EXPORT int fputws(const WCHAR *s, FILE *f)
{
	char *u = crt_to_utf8(s);
	int r;

	if (!u)
		return EOF;
	r = fputs(u, f);
	free(u);
	return r;
}

EXPORT int _putws(const WCHAR *s)
{
	return fputws(s, &_iob[1]) == EOF || fputc('\n', &_iob[1]) == EOF ? EOF : 0;
}

/* One UTF-8 character from the stream; 0xFFFF at the end or on a malformed sequence. */
static WCHAR getwc_unlocked(FILE *f)
{
	char buf[4];
	int c = crt_stream_getc(f), len, i;
	WCHAR w[2];

	if (c == EOF)
		return 0xFFFF;
	buf[0] = (char)c;
	len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	for (i = 1; i < len; i++) {
		c = crt_stream_getc(f);
		if (c == EOF)
			return 0xFFFF;
		buf[i] = (char)c;
	}
	if (MultiByteToWideChar(CP_UTF8, 0, buf, len, w, 2) < 1)
		return 0xFFFF;
	return w[0];
}

EXPORT WCHAR fgetwc(FILE *f)
{
	WCHAR c;

	_lock_file(f);
	c = getwc_unlocked(f);
	_unlock_file(f);
	return c;
}

EXPORT WCHAR getwc(FILE *f) __attribute__((alias("fgetwc")));

EXPORT WCHAR _fgetwchar(void)
{
	return fgetwc(&_iob[0]);
}

EXPORT WCHAR ungetwc(WCHAR c, FILE *f)
{
	char buf[4];
	int n = WideCharToMultiByte(CP_UTF8, 0, &c, 1, buf, sizeof(buf), NULL, NULL);

	if (c == 0xFFFF || n <= 0)
		return 0xFFFF;
	_lock_file(f);
	for (int i = n - 1; i >= 0; i--)
		if (crt_stream_ungetc((unsigned char)buf[i], f) == EOF) {
			c = 0xFFFF;
			break;
		}
	_unlock_file(f);
	return c;
}

EXPORT WCHAR *fgetws(WCHAR *s, int n, FILE *f)
{
	int i = 0;
	WCHAR c = 0;

	if (!s || n <= 0) {
		*_errno() = EINVAL;
		return NULL;
	}
	_lock_file(f);
	while (i < n - 1) {
		c = getwc_unlocked(f);
		if (c == 0xFFFF)
			break;
		s[i++] = c;
		if (c == '\n')
			break;
	}
	_unlock_file(f);
	if (!i)
		return NULL;
	s[i] = 0;
	return s;
}

EXPORT int _getw(FILE *f)
{
	int w;
	return fread(&w, sizeof(w), 1, f) == 1 ? w : EOF;
}

EXPORT int _putw(int w, FILE *f)
{
	return fwrite(&w, sizeof(w), 1, f) == 1 ? w : EOF;
}
