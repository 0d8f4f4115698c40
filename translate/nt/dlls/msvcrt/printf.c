/*
 * The formatting engine of the printf family, as msvcrt formats: long is
 * 32 bits, I64/I32/I/ll/z/j/t sizes, %s narrow and %S (or %ls, %ws) wide
 * in the narrow functions (the reverse in the wide ones), %p as 16
 * upper-case hex digits, exponents of at least three digits (1e+003),
 * halves rounded away from zero on the exact decimal value, infinities and
 * NaNs as 1.#INF, 1.#QNAN, 1.#SNAN and -1.#IND, no hh size. Wide strings are written
 * as UTF-8 (the ANSI code page). No locale: the decimal point is '.'.
 */
#include "crt.h"
#include "fpconv.h"

struct spec {
	int left, plus, space, alt, zero;
	int width, prec; /* prec -1: not given */
	int size;        /* 'H' hh, 'h', 'l' (32-bit long), 'L' 64-bit integer / long double, 'w' wide, 'n' narrow */
	int ptrsize;     /* z, t, I: the size of a pointer */
};

static int out(struct crt_sink *s, const char *p, size_t n)
{
	if (!n)
		return 0;
	s->total += n;
	return s->put ? s->put(s, p, n) : 0;
}

static int pad(struct crt_sink *s, char c, int n)
{
	char buf[64];

	memset(buf, c, sizeof(buf));
	while (n > 0) {
		int k = n > (int)sizeof(buf) ? (int)sizeof(buf) : n;
		if (out(s, buf, (size_t)k))
			return -1;
		n -= k;
	}
	return 0;
}

/* prefix (sign, 0x), zeros, body, within the width */
static int emit(struct crt_sink *s, const struct spec *sp, const char *prefix, int zeros, const char *body, int len)
{
	int plen = (int)strlen(prefix), total = plen + zeros + len, fill = sp->width > total ? sp->width - total : 0;

	if (!sp->left && !sp->zero && pad(s, ' ', fill))
		return -1;
	if (out(s, prefix, (size_t)plen))
		return -1;
	if (!sp->left && sp->zero && pad(s, '0', fill))
		return -1;
	if (pad(s, '0', zeros) || out(s, body, (size_t)len))
		return -1;
	if (sp->left && pad(s, ' ', fill))
		return -1;
	return 0;
}

static int fmt_int(struct crt_sink *s, struct spec sp, char conv, uint64_t v, int negative)
{
	char buf[32], prefix[4] = "";
	int n = 0, base = conv == 'o' ? 8 : (conv == 'x' || conv == 'X' || conv == 'p') ? 16 : 10;
	const char *digits = (conv == 'X' || conv == 'p') ? "0123456789ABCDEF" : "0123456789abcdef";
	int zeros = 0;

	while (v) {
		buf[sizeof(buf) - 1 - n++] = digits[v % (unsigned)base];
		v /= (unsigned)base;
	}
	if (sp.prec >= 0) {
		sp.zero = 0;
		if (n < sp.prec)
			zeros = sp.prec - n;
	} else if (!n) {
		zeros = 1;
	}
	if (negative)
		strcpy(prefix, "-");
	else if ((conv == 'd' || conv == 'i') && sp.plus)
		strcpy(prefix, "+");
	else if ((conv == 'd' || conv == 'i') && sp.space)
		strcpy(prefix, " ");
	if (sp.alt && n) {
		if (conv == 'o' && zeros == 0)
			zeros = 1;
		else if (conv == 'x' || conv == 'p')
			strcpy(prefix, "0x");
		else if (conv == 'X')
			strcpy(prefix, "0X");
	}
	return emit(s, &sp, prefix, zeros, buf + sizeof(buf) - n, n);
}

/* NaN and infinity in msvcrt's notation, shaped like a number ("1.#INF00", "-1.#IND", "1.#QNAN0e+000"). */
static int fmt_special(struct crt_sink *s, struct spec sp, char conv, int neg, const char *word)
{
	char body[64];
	int n = 0, prec = sp.prec < 0 ? 6 : sp.prec, wl = (int)strlen(word);
	char lc = (char)(conv | 0x20);

	body[n++] = '1';
	body[n++] = '.';
	if (lc == 'g') {
		/* %g keeps the word, cut to the precision's significant digits */
		int keep = prec ? prec - 1 : 0;
		for (int i = 0; i < wl && i < keep && n < 40; i++)
			body[n++] = word[i];
		if (n == 2)
			n = 1;
	} else {
		for (int i = 0; i < prec && n < 40; i++)
			body[n++] = i < wl ? word[i] : '0';
		if (prec == 0)
			n = 1;
		if (lc == 'e') {
			memcpy(body + n, conv == 'E' ? "E+000" : "e+000", 5);
			n += 5;
		}
	}
	sp.zero = 0;
	return emit(s, &sp, neg ? "-" : sp.plus ? "+" : sp.space ? " " : "", 0, body, n);
}

static int fmt_float(struct crt_sink *s, struct spec sp, char conv, double x)
{
	union {
		double d;
		uint64_t u;
	} v = {x};
	int neg = (int)(v.u >> 63), prec = sp.prec < 0 ? 6 : sp.prec;
	char lc = (char)(conv | 0x20);
	struct crt_fp_dec dec, *d = &dec;
	char *body;
	int n = 0, r;
	const char *prefix = neg ? "-" : sp.plus ? "+" : sp.space ? " " : "";
	int exp10, use_e, strip = 0;

	if (((v.u >> 52) & 0x7ff) == 0x7ff) {
		if (!(v.u & ((1ull << 52) - 1)))
			return fmt_special(s, sp, conv, neg, "#INF");
		if (v.u == 0xfff8000000000000ull)
			return fmt_special(s, sp, conv, 1, "#IND");
		return fmt_special(s, sp, conv, neg, (v.u & (1ull << 51)) ? "#QNAN" : "#SNAN");
	}
	crt_fp_digits(x, d);
	if (lc == 'g') {
		int P = prec ? prec : 1;
		crt_fp_round(d, P);
		exp10 = d->n ? d->dp - 1 : 0;
		use_e = !(P > exp10 && exp10 >= -4);
		prec = use_e ? P - 1 : P - 1 - exp10;
		strip = !sp.alt;
	} else {
		use_e = lc == 'e';
		if (use_e)
			crt_fp_round(d, prec + 1);
		else
			crt_fp_round(d, d->dp + prec);
	}
	body = malloc((size_t)(d->n > 0 ? d->n : 0) + (size_t)prec + (d->dp > 0 ? (size_t)d->dp : 0) + 32);
	if (!body)
		return -1;
	if (use_e) {
		int e = d->n ? d->dp - 1 : 0, ae;
		body[n++] = d->n ? d->d[0] : '0';
		if (prec || sp.alt)
			body[n++] = '.';
		for (int i = 1; i <= prec; i++)
			body[n++] = i < d->n ? d->d[i] : '0';
		if (strip) {
			while (n > 1 && body[n - 1] == '0')
				n--;
			if (body[n - 1] == '.')
				n--;
		}
		body[n++] = conv == 'E' || conv == 'G' ? 'E' : 'e';
		body[n++] = e < 0 ? '-' : '+';
		ae = e < 0 ? -e : e;
		body[n++] = (char)('0' + ae / 100);
		body[n++] = (char)('0' + ae / 10 % 10);
		body[n++] = (char)('0' + ae % 10);
	} else {
		if (d->dp <= 0) {
			body[n++] = '0';
		} else {
			for (int i = 0; i < d->dp; i++)
				body[n++] = i < d->n ? d->d[i] : '0';
		}
		if (prec || sp.alt)
			body[n++] = '.';
		for (int i = 0; i < prec; i++) {
			int idx = d->dp + i;
			body[n++] = idx >= 0 && idx < d->n ? d->d[idx] : '0';
		}
		if (strip && (prec || sp.alt)) {
			while (body[n - 1] == '0')
				n--;
			if (body[n - 1] == '.')
				n--;
		}
	}
	r = emit(s, &sp, prefix, 0, body, n);
	free(body);
	return r;
}

/* %a: hexadecimal, all 13 fraction digits ("0x1.8000000000000p+0") unless a precision rounds them (half away from zero). */
static int fmt_hexfloat(struct crt_sink *s, struct spec sp, char conv, double x)
{
	union {
		double d;
		uint64_t u;
	} v = {x};
	int neg = (int)(v.u >> 63), bexp = (int)((v.u >> 52) & 0x7ff), n = 0, e, digits = 13;
	uint64_t frac = v.u & ((1ull << 52) - 1);
	int lead = bexp ? 1 : 0;
	const char *hex = conv == 'A' ? "0123456789ABCDEF" : "0123456789abcdef";
	char body[64], prefix[4];

	if (bexp == 0x7ff)
		return fmt_float(s, sp, conv == 'A' ? 'E' : 'e', x);
	e = bexp ? bexp - 1023 : (frac ? -1022 : 0);
	if (sp.prec >= 0 && sp.prec < 13) {
		int drop = (13 - sp.prec) * 4;
		uint64_t half = 1ull << (drop - 1), rest = frac & ((1ull << drop) - 1);
		frac >>= drop;
		if (rest >= half) {
			frac++;
			if (frac >> (sp.prec * 4)) {
				frac &= (1ull << (sp.prec * 4)) - 1;
				lead++;
			}
		}
		digits = sp.prec;
	}
	body[n++] = (char)('0' + lead);
	if (digits || sp.alt)
		body[n++] = '.';
	for (int i = digits - 1; i >= 0; i--)
		body[n++] = hex[(frac >> (i * 4)) & 0xf];
	for (int i = 13; i < sp.prec && n < 48; i++)
		body[n++] = '0';
	body[n++] = conv == 'A' ? 'P' : 'p';
	body[n++] = e < 0 ? '-' : '+';
	{
		char t[8];
		int k = 0, ae = e < 0 ? -e : e;
		do {
			t[k++] = (char)('0' + ae % 10);
			ae /= 10;
		} while (ae);
		while (k)
			body[n++] = t[--k];
	}
	n = n > 60 ? 60 : n;
	strcpy(prefix, neg ? "-" : sp.plus ? "+" : sp.space ? " " : "");
	strcat(prefix, conv == 'A' ? "0X" : "0x");
	return emit(s, &sp, prefix, 0, body, n);
}

static int fmt_str(struct crt_sink *s, struct spec sp, const char *str)
{
	int n;

	sp.zero = 0;
	if (!str)
		str = "(null)";
	n = (int)(sp.prec >= 0 ? strnlen(str, (size_t)sp.prec) : strlen(str));
	return emit(s, &sp, "", 0, str, n);
}

static int fmt_wstr(struct crt_sink *s, struct spec sp, const WCHAR *w)
{
	size_t n;
	WCHAR *copy;
	char *u;
	int r;

	if (!w)
		return fmt_str(s, sp, "(null)");
	n = sp.prec >= 0 ? wcsnlen(w, (size_t)sp.prec) : wcslen(w);
	copy = malloc((n + 1) * sizeof(WCHAR));
	if (!copy)
		return -1;
	memcpy(copy, w, n * sizeof(WCHAR));
	copy[n] = 0;
	u = crt_to_utf8(copy);
	free(copy);
	if (!u)
		return -1;
	sp.prec = -1;
	r = fmt_str(s, sp, u);
	free(u);
	return r;
}

/* The engine. `wide` says the format came from a wide function: %s and %c then mean wide. */
static int format(struct crt_sink *s, const char *f, va_list ap, int wide)
{
	while (*f) {
		struct spec sp = {0, 0, 0, 0, 0, 0, -1, 0, 0};
		const char *start = f;
		char conv;

		if (*f != '%') {
			const char *e = f;
			while (*e && *e != '%')
				e++;
			if (out(s, f, (size_t)(e - f)))
				return -1;
			f = e;
			continue;
		}
		f++;
		for (;; f++) {
			if (*f == '-')
				sp.left = 1;
			else if (*f == '+')
				sp.plus = 1;
			else if (*f == ' ')
				sp.space = 1;
			else if (*f == '#')
				sp.alt = 1;
			else if (*f == '0')
				sp.zero = 1;
			else
				break;
		}
		if (*f == '*') {
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = 1;
				sp.width = -sp.width;
			}
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp.width = sp.width * 10 + (*f++ - '0');
		}
		if (*f == '.') {
			f++;
			sp.prec = 0;
			if (*f == '*') {
				sp.prec = va_arg(ap, int);
				if (sp.prec < 0)
					sp.prec = -1;
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					sp.prec = sp.prec * 10 + (*f++ - '0');
			}
		}
		if (sp.left)
			sp.zero = 0;
		for (;;) {
			if (f[0] == 'I' && f[1] == '6' && f[2] == '4') {
				sp.size = 'L';
				f += 3;
			} else if (f[0] == 'I' && f[1] == '3' && f[2] == '2') {
				sp.size = 'l';
				f += 3;
			} else if (*f == 'I' || *f == 'z' || *f == 't' || *f == 'j') {
				sp.size = 'L';
				f++;
			} else if (f[0] == 'l' && f[1] == 'l') {
				sp.size = 'L';
				f += 2;
			} else if (*f == 'l') {
				sp.size = 'l';
				f++;
			} else if (*f == 'L') {
				sp.size = 'L';
				f++;
			} else if (f[0] == 'h' && f[1] == 'h') {
				sp.size = 0; /* msvcrt has no hh: the argument is an int as it stands */
				f += 2;
			} else if (*f == 'h') {
				sp.size = 'h';
				f++;
			} else if (*f == 'w') {
				sp.size = 'w';
				f++;
			} else {
				break;
			}
		}
		conv = *f;
		if (!conv)
			break;
		f++;
		switch (conv) {
		case '%':
			if (out(s, "%", 1))
				return -1;
			break;
		case 'd':
		case 'i': {
			int64_t val;
			if (sp.size == 'L')
				val = va_arg(ap, int64_t);
			else
				val = va_arg(ap, int);
			if (sp.size == 'h')
				val = (short)val;
			else if (sp.size == 'H')
				val = (signed char)val;
			if (fmt_int(s, sp, conv, val < 0 ? (uint64_t)0 - (uint64_t)val : (uint64_t)val, val < 0))
				return -1;
			break;
		}
		case 'u':
		case 'o':
		case 'x':
		case 'X': {
			uint64_t val;
			if (sp.size == 'L')
				val = va_arg(ap, uint64_t);
			else
				val = va_arg(ap, unsigned);
			if (sp.size == 'h')
				val = (unsigned short)val;
			else if (sp.size == 'H')
				val = (unsigned char)val;
			if (fmt_int(s, sp, conv, val, 0))
				return -1;
			break;
		}
		case 'p': {
			uintptr_t val = (uintptr_t)va_arg(ap, void *);
			if (sp.prec < 0)
				sp.prec = 16;
			if (fmt_int(s, sp, 'p', val, 0))
				return -1;
			break;
		}
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G': {
			double val = va_arg(ap, double); /* long double is double in msvcrt */
			if (fmt_float(s, sp, conv == 'F' ? 'f' : conv, val))
				return -1;
			break;
		}
		case 'a':
		case 'A':
			if (fmt_hexfloat(s, sp, conv, va_arg(ap, double)))
				return -1;
			break;
		case 'c':
		case 'C': {
			int c = va_arg(ap, int);
			int is_wide = sp.size == 'l' || sp.size == 'w' || (sp.size != 'h' && ((conv == 'C') != wide));
			if (is_wide) {
				WCHAR w[2] = {(WCHAR)c, 0};
				sp.prec = -1;
				if (!c) {
					if (emit(s, &sp, "", 0, "", 1))
						return -1;
				} else if (fmt_wstr(s, sp, w)) {
					return -1;
				}
			} else {
				char ch = (char)c;
				sp.zero = 0;
				if (emit(s, &sp, "", 0, &ch, 1))
					return -1;
			}
			break;
		}
		case 's':
		case 'S': {
			int is_wide = sp.size == 'l' || sp.size == 'w' || (sp.size != 'h' && ((conv == 'S') != wide));
			if (is_wide ? fmt_wstr(s, sp, va_arg(ap, const WCHAR *)) : fmt_str(s, sp, va_arg(ap, const char *)))
				return -1;
			break;
		}
		case 'n': {
			void *p = va_arg(ap, void *);
			if (sp.size == 'L')
				*(int64_t *)p = (int64_t)s->total;
			else if (sp.size == 'h')
				*(short *)p = (short)s->total;
			else if (sp.size == 'H')
				*(signed char *)p = (signed char)s->total;
			else
				*(int *)p = (int)s->total;
			break;
		}
		default:
			/* an unknown conversion is written as it stands */
			if (out(s, start, (size_t)(f - start)))
				return -1;
			break;
		}
	}
	return 0;
}

int crt_format(struct crt_sink *s, const char *fmt, va_list ap)
{
	if (!fmt) {
		*_errno() = EINVAL;
		return -1;
	}
	return format(s, fmt, ap, 0) ? -1 : (int)s->total;
}

/* The wide engine: the format through UTF-8, the output collected and given back as UTF-16. */
struct grow {
	char *p;
	size_t n, cap;
};

static int grow_put(struct crt_sink *s, const char *p, size_t n)
{
	struct grow *g = s->ctx;

	if (g->n + n + 1 > g->cap) {
		size_t cap = (g->n + n + 1) * 2;
		char *q = realloc(g->p, cap);
		if (!q)
			return -1;
		g->p = q;
		g->cap = cap;
	}
	memcpy(g->p + g->n, p, n);
	g->n += n;
	return 0;
}

int crt_wformat(struct crt_sink *s, const WCHAR *fmt, va_list ap)
{
	struct grow g = {NULL, 0, 0};
	struct crt_sink inner = {grow_put, &g, 0};
	char *f;
	WCHAR *w;
	int r = -1, len;

	if (!fmt) {
		*_errno() = EINVAL;
		return -1;
	}
	f = crt_to_utf8(fmt);
	if (!f)
		return -1;
	if (format(&inner, f, ap, 1) || grow_put(&inner, "", 1))
		goto out;
	len = MultiByteToWideChar(CP_UTF8, 0, g.p, (int)g.n, NULL, 0);
	w = len > 0 ? malloc((size_t)len * sizeof(WCHAR)) : NULL;
	if (!w)
		goto out;
	MultiByteToWideChar(CP_UTF8, 0, g.p, (int)g.n, w, len);
	s->total = 0;
	r = out(s, (const char *)w, (size_t)(len - 1) * sizeof(WCHAR)) ? -1 : len - 1;
	free(w);
out:
	free(g.p);
	free(f);
	return r;
}
