/* The printf family's entry points: where the engine's output goes (streams, buffers, counts). */
#include "crt.h"

static int stream_put(struct crt_sink *s, const char *p, size_t n)
{
	return crt_stream_write(s->ctx, p, n) ? -1 : 0;
}

EXPORT int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct crt_sink s = {stream_put, f, 0};
	int r;

	if (!f) {
		*_errno() = EINVAL;
		return -1;
	}
	_lock_file(f);
	r = crt_format(&s, fmt, ap);
	crt_stream_done(f);
	_unlock_file(f);
	return r;
}

EXPORT int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(&_iob[1], fmt, ap);
}

EXPORT int printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(&_iob[1], fmt, ap);
	va_end(ap);
	return r;
}

/* A buffer of `room` bytes; `room` SIZE_MAX is unbounded. */
struct buf_ctx {
	char *p;
	size_t used, room;
};

static int buf_put(struct crt_sink *s, const char *p, size_t n)
{
	struct buf_ctx *b = s->ctx;
	size_t k = b->room - b->used < n ? b->room - b->used : n;

	memcpy(b->p + b->used, p, k);
	b->used += k;
	return 0; /* keep counting past the end */
}

/* msvcrt's _vsnprintf: NUL-terminated when it fits with room to spare, -1 when it does not fit. */
EXPORT int _vsnprintf(char *buf, size_t count, const char *fmt, va_list ap)
{
	struct buf_ctx b = {buf, 0, count};
	struct crt_sink s = {buf_put, &b, 0};
	int r;

	if (!buf && count) {
		*_errno() = EINVAL;
		return -1;
	}
	r = crt_format(&s, fmt, ap);
	if (r < 0)
		return r;
	if ((size_t)r < count)
		buf[r] = 0;
	return (size_t)r > count ? -1 : r;
}

EXPORT int _snprintf(char *buf, size_t count, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = _vsnprintf(buf, count, fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int vsprintf(char *buf, const char *fmt, va_list ap)
{
	struct buf_ctx b = {buf, 0, SIZE_MAX};
	struct crt_sink s = {buf_put, &b, 0};
	int r = crt_format(&s, fmt, ap);

	if (r >= 0)
		buf[r] = 0;
	return r;
}

EXPORT int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int _vscprintf(const char *fmt, va_list ap)
{
	struct crt_sink s = {NULL, NULL, 0};
	return crt_format(&s, fmt, ap);
}

EXPORT int _scprintf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = _vscprintf(fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int vsprintf_s(char *buf, size_t size, const char *fmt, va_list ap)
{
	int r;

	if (!buf || !size || !fmt) {
		*_errno() = EINVAL;
		return -1;
	}
	r = _vsnprintf(buf, size, fmt, ap);
	if (r < 0 || (size_t)r >= size) {
		buf[0] = 0;
		*_errno() = ERANGE;
		return -1;
	}
	return r;
}

EXPORT int sprintf_s(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsprintf_s(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

/* Wide: the engine hands UTF-16 bytes; a stream gets them as UTF-8. */
static int wstream_put(struct crt_sink *s, const char *p, size_t n)
{
	const WCHAR *w = (const WCHAR *)p;
	int wn = (int)(n / sizeof(WCHAR)), len;
	char *u;
	int r;

	if (!wn)
		return 0;
	len = WideCharToMultiByte(CP_UTF8, 0, w, wn, NULL, 0, NULL, NULL);
	u = len > 0 ? malloc((size_t)len) : NULL;
	if (!u)
		return -1;
	WideCharToMultiByte(CP_UTF8, 0, w, wn, u, len, NULL, NULL);
	r = crt_stream_write(s->ctx, u, (size_t)len) ? -1 : 0;
	free(u);
	return r;
}

EXPORT int vfwprintf(FILE *f, const WCHAR *fmt, va_list ap)
{
	struct crt_sink s = {wstream_put, f, 0};
	int r;

	if (!f) {
		*_errno() = EINVAL;
		return -1;
	}
	_lock_file(f);
	r = crt_wformat(&s, fmt, ap);
	crt_stream_done(f);
	_unlock_file(f);
	return r;
}

EXPORT int fwprintf(FILE *f, const WCHAR *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfwprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int vwprintf(const WCHAR *fmt, va_list ap)
{
	return vfwprintf(&_iob[1], fmt, ap);
}

EXPORT int wprintf(const WCHAR *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfwprintf(&_iob[1], fmt, ap);
	va_end(ap);
	return r;
}

/* `count` is in wide characters; the same rules as _vsnprintf. */
EXPORT int _vsnwprintf(WCHAR *buf, size_t count, const WCHAR *fmt, va_list ap)
{
	struct buf_ctx b = {(char *)buf, 0, count > SIZE_MAX / 2 ? SIZE_MAX : count * sizeof(WCHAR)};
	struct crt_sink s = {buf_put, &b, 0};
	int r;

	if (!buf && count) {
		*_errno() = EINVAL;
		return -1;
	}
	r = crt_wformat(&s, fmt, ap);
	if (r < 0)
		return r;
	if ((size_t)r < count)
		buf[r] = 0;
	return (size_t)r > count ? -1 : r;
}

EXPORT int _snwprintf(WCHAR *buf, size_t count, const WCHAR *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = _vsnwprintf(buf, count, fmt, ap);
	va_end(ap);
	return r;
}

/* msvcrt's swprintf and vswprintf take no count (the pre-standard form). */
EXPORT int vswprintf(WCHAR *buf, const WCHAR *fmt, va_list ap)
{
	return _vsnwprintf(buf, SIZE_MAX / 2, fmt, ap);
}

EXPORT int swprintf(WCHAR *buf, const WCHAR *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vswprintf(buf, fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int _swprintf(WCHAR *buf, const WCHAR *fmt, ...) __attribute__((alias("swprintf")));

EXPORT int _vscwprintf(const WCHAR *fmt, va_list ap)
{
	struct crt_sink s = {NULL, NULL, 0};
	return crt_wformat(&s, fmt, ap);
}

EXPORT int _scwprintf(const WCHAR *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = _vscwprintf(fmt, ap);
	va_end(ap);
	return r;
}
