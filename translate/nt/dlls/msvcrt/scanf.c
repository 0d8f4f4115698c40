/*
 * The scanf family: one engine reading bytes from a source (a string or a
 * stream). Sizes h, l, ll, I64, L; %s/%c/%[ narrow in the narrow functions,
 * wide in the wide ones (%S, %ls, %hs choose); wide text is read as UTF-8.
 * Returns the number of assignments, or EOF when the input ends before the
 * first conversion.
 */
#include "crt.h"

static int get(struct crt_source *s)
{
	int c = s->get(s);
	if (c != EOF)
		s->count++;
	return c;
}

static void unget(struct crt_source *s, int c)
{
	if (c != EOF) {
		s->unget(s, c);
		s->count--;
	}
}

static int skip_space(struct crt_source *s)
{
	int c;

	do
		c = get(s);
	while (c != EOF && isspace(c));
	unget(s, c);
	return c;
}

/* The set of a %[...] conversion: 256 flags; *fmt is past the '['. */
static const char *parse_set(const char *f, unsigned char set[256])
{
	int negate = 0;

	memset(set, 0, 256);
	if (*f == '^') {
		negate = 1;
		f++;
	}
	if (*f == ']') {
		set[']'] = 1;
		f++;
	}
	for (; *f && *f != ']'; f++) {
		if (f[1] == '-' && f[2] && f[2] != ']' && (unsigned char)f[2] >= (unsigned char)f[0]) {
			for (int c = (unsigned char)f[0]; c <= (unsigned char)f[2]; c++)
				set[c] = 1;
			f += 2;
		} else {
			set[(unsigned char)*f] = 1;
		}
	}
	if (negate)
		for (int i = 0; i < 256; i++)
			set[i] = !set[i];
	return *f ? f + 1 : f;
}

/* Stores a UTF-8 text as UTF-16 (with a terminator when `terminate`). */
static void store_wide(WCHAR *dst, const char *src, size_t n, int terminate)
{
	int len = n ? MultiByteToWideChar(CP_UTF8, 0, src, (int)n, dst, (int)n) : 0;
	if (len < 0)
		len = 0;
	if (terminate)
		dst[len] = 0;
}

static int scan(struct crt_source *s, const char *f, va_list ap, int wide)
{
	int assigned = 0, c, any_input = 0;

	while (*f) {
		int suppress = 0, width = 0, size = 0;
		char conv;

		if (isspace((unsigned char)*f)) {
			while (isspace((unsigned char)*f))
				f++;
			skip_space(s);
			continue;
		}
		if (*f != '%' || f[1] == '%') {
			if (*f == '%')
				f++;
			if (*f == '%')
				skip_space(s); /* "%%" skips blanks before the '%', as a conversion would */
			c = get(s);
			if (c == EOF)
				return any_input || assigned ? assigned : EOF;
			if (c != (unsigned char)*f) {
				unget(s, c);
				return assigned;
			}
			f++;
			continue;
		}
		f++;
		if (*f == '*') {
			suppress = 1;
			f++;
		}
		while (*f >= '0' && *f <= '9')
			width = width * 10 + (*f++ - '0');
		for (;;) {
			if (f[0] == 'I' && f[1] == '6' && f[2] == '4') {
				size = 'L';
				f += 3;
			} else if (f[0] == 'I' && f[1] == '3' && f[2] == '2') {
				size = 0;
				f += 3;
			} else if (f[0] == 'l' && f[1] == 'l') {
				size = 'L';
				f += 2;
			} else if (*f == 'l') {
				size = 'l';
				f++;
			} else if (*f == 'L' || *f == 'I' || *f == 'z' || *f == 'j' || *f == 't') {
				size = *f == 'L' ? 'D' : 'L';
				f++;
			} else if (f[0] == 'h' && f[1] == 'h') {
				size = 'H';
				f += 2;
			} else if (*f == 'h') {
				size = 'h';
				f++;
			} else if (*f == 'w') {
				size = 'l';
				f++;
			} else {
				break;
			}
		}
		conv = *f++;
		if (!conv)
			break;
		if (conv == 'n') {
			if (!suppress) {
				int *p = va_arg(ap, int *);
				*p = (int)s->count;
			}
			continue;
		}
		if (conv != 'c' && conv != 'C' && conv != '[')
			skip_space(s);
		switch (conv) {
		case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': case 'p': {
			char buf[80];
			int n = 0, base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : conv == 'i' ? 0 : 10;
			char *end;
			int max = width ? (width < 79 ? width : 79) : 79;
			uint64_t v;
			int neg = 0;

			c = get(s);
			if (c == EOF)
				return any_input || assigned ? assigned : EOF;
			any_input = 1;
			if ((c == '-' || c == '+') && n < max) {
				buf[n++] = (char)c;
				c = get(s);
			}
			if (c == '0' && n < max) {
				buf[n++] = (char)c;
				c = get(s);
				if ((c == 'x' || c == 'X') && (base == 16 || base == 0) && n < max) {
					buf[n++] = (char)c;
					c = get(s);
					if (base == 0)
						base = 16;
				} else if (base == 0) {
					base = 8;
				}
			}
			if (base == 0)
				base = 10;
			while (c != EOF && n < max) {
				int d = isdigit(c) ? c - '0' : isalpha(c) ? tolower(c) - 'a' + 10 : 99;
				if (d >= base)
					break;
				buf[n++] = (char)c;
				c = get(s);
			}
			unget(s, c);
			buf[n] = 0;
			if (!n || ((buf[n - 1] == '-' || buf[n - 1] == '+') && n == 1))
				return assigned;
			if (buf[0] == '-')
				neg = 1;
			v = _strtoui64(buf + (buf[0] == '-' || buf[0] == '+'), &end, base);
			if (neg)
				v = 0 - v;
			if (suppress)
				break;
			if (conv == 'p')
				*va_arg(ap, void **) = (void *)(uintptr_t)v;
			else if (size == 'L')
				*va_arg(ap, uint64_t *) = v;
			else if (size == 'h')
				*va_arg(ap, uint16_t *) = (uint16_t)v;
			else if (size == 'H')
				*va_arg(ap, uint8_t *) = (uint8_t)v;
			else
				*va_arg(ap, uint32_t *) = (uint32_t)v;
			assigned++;
			break;
		}
		case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'a': case 'A': {
			char buf[400];
			int n = 0, max = width ? (width < 399 ? width : 399) : 399, seen_digit = 0, seen_dot = 0;
			double d;

			c = get(s);
			if (c == EOF)
				return any_input || assigned ? assigned : EOF;
			any_input = 1;
			if ((c == '-' || c == '+') && n < max) {
				buf[n++] = (char)c;
				c = get(s);
			}
			while (c != EOF && n < max) {
				if (isdigit(c)) {
					seen_digit = 1;
				} else if (c == '.' && !seen_dot) {
					seen_dot = 1;
				} else {
					break;
				}
				buf[n++] = (char)c;
				c = get(s);
			}
			if (seen_digit && (c == 'e' || c == 'E') && n < max) {
				buf[n++] = (char)c;
				c = get(s);
				if ((c == '-' || c == '+') && n < max) {
					buf[n++] = (char)c;
					c = get(s);
				}
				while (c != EOF && isdigit(c) && n < max) {
					buf[n++] = (char)c;
					c = get(s);
				}
			}
			unget(s, c);
			buf[n] = 0;
			if (!seen_digit)
				return assigned;
			d = strtod(buf, NULL);
			if (suppress)
				break;
			if (size == 'l' || size == 'D')
				*va_arg(ap, double *) = d;
			else
				*va_arg(ap, float *) = (float)d;
			assigned++;
			break;
		}
		case 's': case 'S': case 'c': case 'C': case '[': {
			int is_wide = size == 'l' || (size != 'h' && (((conv == 'S' || conv == 'C') != wide)));
			unsigned char set[256];
			char *buf;
			size_t n = 0, cap = 64;
			int is_char = conv == 'c' || conv == 'C';
			int max = width ? width : is_char ? 1 : 0x7fffffff;

			if (conv == '[')
				f = parse_set(f, set);
			buf = malloc(cap);
			if (!buf)
				return assigned;
			c = get(s);
			if (c == EOF) {
				free(buf);
				return any_input || assigned ? assigned : EOF;
			}
			any_input = 1;
			while (c != EOF && (int)n < max) {
				if (conv == '[' ? !set[c] : (!is_char && isspace(c)))
					break;
				if (n + 1 >= cap) {
					char *nb = realloc(buf, cap * 2);
					if (!nb)
						break;
					buf = nb;
					cap *= 2;
				}
				buf[n++] = (char)c;
				c = get(s);
			}
			unget(s, c); /* the byte after the field was read ahead */
			if (!n) {
				free(buf);
				return assigned;
			}
			if (!suppress) {
				if (is_wide) {
					store_wide(va_arg(ap, WCHAR *), buf, n, !is_char);
				} else {
					char *dst = va_arg(ap, char *);
					memcpy(dst, buf, n);
					if (!is_char)
						dst[n] = 0;
				}
				assigned++;
			}
			free(buf);
			break;
		}
		default:
			return assigned;
		}
	}
	return assigned;
}

int crt_scan(struct crt_source *s, const char *fmt, va_list ap)
{
	return scan(s, fmt, ap, 0);
}

/* A string source. */
struct str_ctx {
	const unsigned char *p;
};

static int str_get(struct crt_source *s)
{
	struct str_ctx *c = s->ctx;
	return *c->p ? *c->p++ : EOF;
}

static void str_unget(struct crt_source *s, int ch)
{
	struct str_ctx *c = s->ctx;
	(void)ch;
	c->p--;
}

/* A stream source (the stream is locked by the caller). */
static int file_get(struct crt_source *s)
{
	return crt_stream_getc(s->ctx);
}

static void file_unget(struct crt_source *s, int ch)
{
	crt_stream_ungetc(ch, s->ctx);
}

EXPORT int vsscanf(const char *str, const char *fmt, va_list ap)
{
	struct str_ctx c = {(const unsigned char *)str};
	struct crt_source s = {str_get, str_unget, &c, 0};

	if (!str || !fmt) {
		*_errno() = EINVAL;
		return EOF;
	}
	return scan(&s, fmt, ap, 0);
}

EXPORT int sscanf(const char *str, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsscanf(str, fmt, ap);
	va_end(ap);
	return r;
}

/* _snscanf: at most `len` bytes of the string */
EXPORT int _snscanf(const char *str, size_t len, const char *fmt, ...)
{
	char *copy = malloc(len + 1);
	va_list ap;
	int r;

	if (!copy)
		return EOF;
	memcpy(copy, str, len);
	copy[len] = 0;
	copy[strnlen(copy, len)] = 0;
	va_start(ap, fmt);
	r = vsscanf(copy, fmt, ap);
	va_end(ap);
	free(copy);
	return r;
}

EXPORT int vfscanf(FILE *f, const char *fmt, va_list ap)
{
	struct crt_source s = {file_get, file_unget, f, 0};
	int r;

	if (!f || !fmt) {
		*_errno() = EINVAL;
		return EOF;
	}
	_lock_file(f);
	r = scan(&s, fmt, ap, 0);
	_unlock_file(f);
	return r;
}

EXPORT int fscanf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfscanf(f, fmt, ap);
	va_end(ap);
	return r;
}

EXPORT int scanf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfscanf(&_iob[0], fmt, ap);
	va_end(ap);
	return r;
}

/* The wide functions read the format (and a wide input string) through UTF-8. */
static int wide_scan(struct crt_source *s, const WCHAR *fmt, va_list ap)
{
	char *f = crt_to_utf8(fmt);
	int r;

	if (!f)
		return EOF;
	r = scan(s, f, ap, 1);
	free(f);
	return r;
}

EXPORT int swscanf(const WCHAR *str, const WCHAR *fmt, ...)
{
	char *u;
	struct str_ctx c;
	struct crt_source s = {str_get, str_unget, &c, 0};
	va_list ap;
	int r;

	if (!str || !fmt) {
		*_errno() = EINVAL;
		return EOF;
	}
	u = crt_to_utf8(str);
	if (!u)
		return EOF;
	c.p = (const unsigned char *)u;
	va_start(ap, fmt);
	r = wide_scan(&s, fmt, ap);
	va_end(ap);
	free(u);
	return r;
}

EXPORT int fwscanf(FILE *f, const WCHAR *fmt, ...)
{
	struct crt_source s = {file_get, file_unget, f, 0};
	va_list ap;
	int r;

	if (!f || !fmt) {
		*_errno() = EINVAL;
		return EOF;
	}
	va_start(ap, fmt);
	_lock_file(f);
	r = wide_scan(&s, fmt, ap);
	_unlock_file(f);
	va_end(ap);
	return r;
}

EXPORT int wscanf(const WCHAR *fmt, ...)
{
	struct crt_source s = {file_get, file_unget, &_iob[0], 0};
	va_list ap;
	int r;

	va_start(ap, fmt);
	_lock_file(&_iob[0]);
	r = wide_scan(&s, fmt, ap);
	_unlock_file(&_iob[0]);
	va_end(ap);
	return r;
}
