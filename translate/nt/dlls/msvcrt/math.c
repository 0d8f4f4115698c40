/*
 * <math.h> and <float.h>: the transcendental functions are computed in the
 * x87 unit's 64-bit precision (fsin, fpatan, fyl2x, f2xm1) and rounded
 * once to double (with the x87 precision control at 64 bits, as Linux and Wine
 * start threads; after _fpreset's 53 bits they lose that margin); square roots with SSE2. errno is EDOM when a number
 * argument gives no number, ERANGE when a finite argument overflows (or
 * underflows to zero), as msvcrt reports them.
 */
#include "crt.h"

typedef long double ld;

union dbits {
	double d;
	uint64_t u;
};

static int is_nan(double x)
{
	union dbits v = {x};
	return (v.u & 0x7fffffffffffffffull) > 0x7ff0000000000000ull;
}

static int is_inf(double x)
{
	union dbits v = {x};
	return (v.u & 0x7fffffffffffffffull) == 0x7ff0000000000000ull;
}

static double nan_value(void)
{
	union dbits v = {0};
	v.u = 0xfff8000000000000ull; /* the "indefinite" NaN the FPU makes: msvcrt prints it -1.#IND */
	return v.d;
}

/* The result of f(x) with msvcrt's errno rules. */
static double domain_check(double x, double r)
{
	if (is_nan(r) && !is_nan(x))
		*_errno() = EDOM;
	else if (is_inf(r) && !is_inf(x))
		*_errno() = ERANGE;
	return r;
}

static ld x87_sqrt(ld x)
{
	ld r;
	__asm__("fsqrt" : "=t"(r) : "0"(x));
	return r;
}

static ld x87_sin(ld x)
{
	ld r;
	__asm__("fsin" : "=t"(r) : "0"(x));
	return r;
}

static ld x87_cos(ld x)
{
	ld r;
	__asm__("fcos" : "=t"(r) : "0"(x));
	return r;
}

/* atan2(y, x) = fpatan with st(1)=y, st(0)=x */
static ld x87_atan2(ld y, ld x)
{
	ld r;
	__asm__("fpatan" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
	return r;
}

/* y * log2(x) */
static ld x87_yl2x(ld y, ld x)
{
	ld r;
	__asm__("fyl2x" : "=t"(r) : "0"(x), "u"(y) : "st(1)");
	return r;
}

/* 2^x for any finite x: integer part by fscale, fraction by f2xm1 */
static ld x87_exp2(ld x)
{
	ld i, f, r;

	if (x > 20000)
		return __builtin_infl();
	if (x < -20000)
		return 0;
	__asm__("frndint" : "=t"(i) : "0"(x));
	f = x - i;
	__asm__("f2xm1" : "=t"(r) : "0"(f));
	r += 1;
	__asm__("fscale" : "=t"(r) : "0"(r), "u"(i));
	return r;
}

/* reduces |x| below 2^62 for fsin/fcos/fptan: fprem1 by 2*pi in full precision (good for moderate arguments) */
static ld reduce(ld x)
{
	static const ld two_pi = 6.283185307179586476925286766559L;
	ld r = x;
	unsigned short sw;

	if (r < 9.2e18L && r > -9.2e18L)
		return r;
	do {
		__asm__("fprem1\n\tfnstsw %%ax" : "=t"(r), "=a"(sw) : "0"(r), "u"(two_pi));
	} while (sw & 0x400);
	return r;
}

EXPORT double sqrt(double x)
{
	double r;
	if (x < 0) {
		*_errno() = EDOM;
		return nan_value();
	}
	__asm__("sqrtsd %1, %0" : "=x"(r) : "x"(x));
	return r;
}

EXPORT double fabs(double x)
{
	union dbits v = {x};
	v.u &= 0x7fffffffffffffffull;
	return v.d;
}

EXPORT double sin(double x)
{
	if (is_inf(x)) {
		*_errno() = EDOM;
		return nan_value();
	}
	return is_nan(x) ? x : (double)x87_sin(reduce(x));
}

EXPORT double cos(double x)
{
	if (is_inf(x)) {
		*_errno() = EDOM;
		return nan_value();
	}
	return is_nan(x) ? x : (double)x87_cos(reduce(x));
}

EXPORT double tan(double x)
{
	ld r;

	if (is_inf(x)) {
		*_errno() = EDOM;
		return nan_value();
	}
	if (is_nan(x))
		return x;
	r = reduce(x);
	return (double)(x87_sin(r) / x87_cos(r));
}

EXPORT double atan2(double y, double x)
{
	if (is_nan(x) || is_nan(y))
		return x + y;
	return (double)x87_atan2(y, x);
}

EXPORT double atan(double x)
{
	return is_nan(x) ? x : (double)x87_atan2(x, 1.0L);
}

EXPORT double asin(double x)
{
	if (is_nan(x))
		return x;
	if (x > 1 || x < -1) {
		*_errno() = EDOM;
		return nan_value();
	}
	return (double)x87_atan2(x, x87_sqrt((1.0L - x) * (1.0L + x)));
}

EXPORT double acos(double x)
{
	if (is_nan(x))
		return x;
	if (x > 1 || x < -1) {
		*_errno() = EDOM;
		return nan_value();
	}
	return (double)x87_atan2(x87_sqrt((1.0L - x) * (1.0L + x)), x);
}

static const ld LOG2E = 1.4426950408889634073599246810018921L;
static const ld LN2 = 0.6931471805599453094172321214581766L;
static const ld LOG10_2 = 0.3010299956639811952137388947244930L;

EXPORT double exp(double x)
{
	double r;

	if (is_nan(x))
		return x;
	if (is_inf(x))
		return x > 0 ? x : 0;
	r = (double)x87_exp2(x * LOG2E);
	if (is_inf(r) || r == 0)
		*_errno() = ERANGE;
	return r;
}

EXPORT double log(double x)
{
	if (is_nan(x))
		return x;
	if (x < 0) {
		*_errno() = EDOM;
		return nan_value();
	}
	if (x == 0) {
		*_errno() = ERANGE;
		return -__builtin_inf();
	}
	if (is_inf(x))
		return x;
	return (double)x87_yl2x(LN2, x);
}

EXPORT double log10(double x)
{
	if (is_nan(x))
		return x;
	if (x < 0) {
		*_errno() = EDOM;
		return nan_value();
	}
	if (x == 0) {
		*_errno() = ERANGE;
		return -__builtin_inf();
	}
	if (is_inf(x))
		return x;
	return (double)x87_yl2x(LOG10_2, x);
}

static int is_integer(double y)
{
	return y == (double)(long long)y || fabs(y) >= 9007199254740992.0;
}

static int is_odd_integer(double y)
{
	return fabs(y) < 9007199254740992.0 && y == (double)(long long)y && ((long long)y & 1);
}

/* pow with C99's special cases; otherwise 2^(y*log2|x|) in 64-bit precision. */
EXPORT double pow(double x, double y)
{
	ld l;
	double r;
	int neg = 0;

	if (y == 0)
		return 1;
	if (x == 1)
		return 1;
	if (is_nan(x) || is_nan(y))
		return x + y;
	if (is_inf(y)) {
		double ax = fabs(x);
		if (ax == 1)
			return 1;
		return (ax > 1) == (y > 0) ? __builtin_inf() : 0;
	}
	if (x == 0) {
		if (y < 0) {
			*_errno() = ERANGE;
			return is_odd_integer(y) ? 1 / x : __builtin_inf();
		}
		return is_odd_integer(y) ? x : 0;
	}
	if (is_inf(x)) {
		if (x > 0)
			return y > 0 ? x : 0;
		if (y > 0)
			return is_odd_integer(y) ? x : -x;
		return is_odd_integer(y) ? -0.0 : 0;
	}
	if (x < 0) {
		if (!is_integer(y)) {
			*_errno() = EDOM;
			return nan_value();
		}
		neg = is_odd_integer(y);
		x = -x;
	}
	/* small integer powers exactly as repeated products, as they are in long double */
	if (fabs(y) <= 64 && y == (double)(int)y) {
		int n = (int)(y < 0 ? -y : y);
		ld b = x, p = 1;
		while (n) {
			if (n & 1)
				p *= b;
			b *= b;
			n >>= 1;
		}
		r = (double)(y < 0 ? 1 / p : p);
	} else {
		l = x87_yl2x(y, x);
		r = (double)x87_exp2(l);
	}
	if (is_inf(r) || r == 0)
		*_errno() = ERANGE;
	return neg ? -r : r;
}

EXPORT double sinh(double x)
{
	ld e;

	if (is_nan(x) || x == 0)
		return x;
	if (fabs(x) < 1e-5)
		return (double)(x + (ld)x * x * x / 6);
	e = x87_exp2(x * LOG2E);
	return domain_check(x, (double)((e - 1 / e) / 2));
}

EXPORT double cosh(double x)
{
	ld e;

	if (is_nan(x))
		return x;
	e = x87_exp2(x * LOG2E);
	return domain_check(x, (double)((e + 1 / e) / 2));
}

EXPORT double tanh(double x)
{
	ld e;

	if (is_nan(x) || x == 0)
		return x;
	if (x > 23)
		return 1;
	if (x < -23)
		return -1;
	if (fabs(x) < 1e-5)
		return (double)(x - (ld)x * x * x / 3);
	e = x87_exp2(2 * x * LOG2E);
	return (double)((e - 1) / (e + 1));
}

EXPORT double _hypot(double x, double y)
{
	if (is_inf(x) || is_inf(y))
		return __builtin_inf();
	if (is_nan(x) || is_nan(y))
		return x + y;
	return domain_check(0, (double)x87_sqrt((ld)x * x + (ld)y * y));
}

EXPORT double hypot(double x, double y) __attribute__((alias("_hypot")));

EXPORT double floor(double x)
{
	union dbits v = {x};
	int e = (int)((v.u >> 52) & 0x7ff) - 1023;

	if (e >= 52)
		return x; /* integral, infinite or NaN */
	if (e < 0) /* |x| < 1 */
		return (v.u >> 63) ? (x == 0 ? x : -1.0) : 0.0 * x;
	{
		uint64_t frac = (1ull << (52 - e)) - 1;
		if (!(v.u & frac))
			return x;
		if (v.u >> 63)
			v.u += frac + 1;
		v.u &= ~frac;
		return v.d;
	}
}

EXPORT double ceil(double x)
{
	return -floor(-x);
}

EXPORT double fmod(double x, double y)
{
	ld r = x;
	unsigned short sw;

	if (is_nan(x) || is_nan(y))
		return x + y;
	if (is_inf(x) || y == 0) {
		*_errno() = EDOM;
		return nan_value();
	}
	if (is_inf(y))
		return x;
	do {
		__asm__("fprem\n\tfnstsw %%ax" : "=t"(r), "=a"(sw) : "0"(r), "u"((ld)y));
	} while (sw & 0x400);
	return (double)r;
}

EXPORT double modf(double x, double *ip)
{
	double i;

	if (is_nan(x)) {
		*ip = x;
		return x;
	}
	if (is_inf(x)) {
		*ip = x;
		return x > 0 ? 0.0 : -0.0;
	}
	i = x < 0 ? ceil(x) : floor(x);
	*ip = i;
	{
		union dbits r = {x - i}, s = {x};
		r.u = (r.u & 0x7fffffffffffffffull) | (s.u & 0x8000000000000000ull); /* the fraction keeps x's sign */
		return r.d;
	}
}

EXPORT double frexp(double x, int *e)
{
	union dbits v = {x};
	int be = (int)((v.u >> 52) & 0x7ff);

	*e = 0;
	if (x == 0 || is_nan(x) || is_inf(x))
		return x;
	if (!be) { /* subnormal: scale up first */
		v.d = x * 18014398509481984.0; /* 2^54 */
		be = (int)((v.u >> 52) & 0x7ff);
		*e = -54;
	}
	*e += be - 1022;
	v.u = (v.u & ~(0x7ffull << 52)) | (1022ull << 52);
	return v.d;
}

EXPORT double ldexp(double x, int n)
{
	union dbits big = {0}, small = {0};
	double r;

	if (x == 0 || is_nan(x) || is_inf(x))
		return x;
	big.u = 0x7fe0000000000000ull;   /* 2^1023 */
	small.u = 0x0010000000000000ull; /* 2^-1022 */
	if (n > 3000)
		n = 3000;
	if (n < -3000)
		n = -3000;
	for (; n > 1023; n -= 1023)
		x *= big.d;
	for (; n < -1022 + -53 && x != 0; n += 1022)
		x *= small.d;
	if (n < -1022) {
		/* one multiplication for the last step, so a subnormal result is rounded once */
		union dbits f = {0};
		f.u = (uint64_t)(n + 1022 + 1023) << 52;
		r = (x * f.d) * small.d;
	} else {
		union dbits f = {0};
		f.u = (uint64_t)(n + 1023) << 52;
		r = x * f.d;
	}
	if (is_inf(r) || r == 0)
		*_errno() = ERANGE;
	return r;
}

EXPORT double _copysign(double x, double s)
{
	union dbits a = {x}, b = {s};
	a.u = (a.u & 0x7fffffffffffffffull) | (b.u & 0x8000000000000000ull);
	return a.d;
}

EXPORT double _chgsign(double x)
{
	union dbits a = {x};
	a.u ^= 0x8000000000000000ull;
	return a.d;
}

EXPORT int _isnan(double x)
{
	return is_nan(x);
}

EXPORT int _finite(double x)
{
	return !is_nan(x) && !is_inf(x);
}

/* _fpclass: _FPCLASS_SNAN 1, QNAN 2, NINF 4, NN 8, ND 0x10, NZ 0x20, PZ 0x40, PD 0x80, PN 0x100, PINF 0x200 */
EXPORT int _fpclass(double x)
{
	union dbits v = {x};
	int neg = (int)(v.u >> 63), be = (int)((v.u >> 52) & 0x7ff);
	uint64_t m = v.u & ((1ull << 52) - 1);

	if (be == 0x7ff)
		return m ? ((m >> 51) ? 2 : 1) : neg ? 4 : 0x200;
	if (be == 0)
		return m ? (neg ? 0x10 : 0x80) : (neg ? 0x20 : 0x40);
	return neg ? 8 : 0x100;
}

EXPORT double _logb(double x)
{
	int e;

	if (is_nan(x))
		return x;
	if (is_inf(x))
		return __builtin_inf();
	if (x == 0) {
		*_errno() = ERANGE;
		return -__builtin_inf();
	}
	frexp(x, &e);
	return e - 1;
}

EXPORT double _scalb(double x, long n)
{
	return ldexp(x, n > 3000 ? 3000 : n < -3000 ? -3000 : (int)n);
}

EXPORT double _nextafter(double x, double y)
{
	union dbits v = {x};

	if (is_nan(x) || is_nan(y))
		return x + y;
	if (x == y)
		return y;
	if (x == 0) {
		v.u = 1;
		return y > 0 ? v.d : -v.d;
	}
	if ((x < y) == (x > 0))
		v.u++;
	else
		v.u--;
	if (is_inf(v.d))
		*_errno() = ERANGE;
	return v.d;
}

/* The float versions, through double (every float is a double, and one rounding back is correct for these). */
#define FLOAT1(name, fn)                      \
	EXPORT float name(float x)            \
	{                                     \
		return (float)fn((double)x);  \
	}
FLOAT1(sqrtf, sqrt)
FLOAT1(sinf, sin)
FLOAT1(cosf, cos)
FLOAT1(tanf, tan)
FLOAT1(asinf, asin)
FLOAT1(acosf, acos)
FLOAT1(atanf, atan)
FLOAT1(sinhf, sinh)
FLOAT1(coshf, cosh)
FLOAT1(tanhf, tanh)
FLOAT1(expf, exp)
FLOAT1(logf, log)
FLOAT1(log10f, log10)
FLOAT1(floorf, floor)
FLOAT1(ceilf, ceil)
FLOAT1(_logbf, _logb)

EXPORT float atan2f(float y, float x) { return (float)atan2(y, x); }
EXPORT float powf(float x, float y) { return (float)pow(x, y); }
EXPORT float fmodf(float x, float y) { return (float)fmod(x, y); }
EXPORT float _hypotf(float x, float y) { return (float)_hypot(x, y); }
EXPORT float _copysignf(float x, float s) { return (float)_copysign(x, s); }
EXPORT int _isnanf(float x) { return is_nan(x); }
EXPORT int _finitef(float x) { return _finite(x); }

EXPORT float modff(float x, float *ip)
{
	double i, f = modf(x, &i);
	*ip = (float)i;
	return (float)f;
}

EXPORT float _nextafterf(float x, float y)
{
	union {
		float f;
		uint32_t u;
	} v = {x};

	if (is_nan(x) || is_nan(y))
		return x + y;
	if (x == y)
		return y;
	if (x == 0) {
		v.u = 1;
		return y > 0 ? v.f : -v.f;
	}
	if ((x < y) == (x > 0))
		v.u++;
	else
		v.u--;
	return v.f;
}

typedef struct {
	double x, y;
} complex_pair;

EXPORT double _cabs(complex_pair z)
{
	return _hypot(z.x, z.y);
}

/*
 * The floating-point control word, msvcrt's bits mapped onto SSE's MXCSR
 * (x64 code computes with SSE) and the x87 control word (long double work).
 */
#define EM_INVALID 0x10
#define EM_DENORMAL 0x80000
#define EM_ZERODIVIDE 0x8
#define EM_OVERFLOW 0x4
#define EM_UNDERFLOW 0x2
#define EM_INEXACT 0x1
#define MCW_EM 0x8001f
#define MCW_RC 0x300
#define MCW_PC 0x30000
#define MCW_DN 0x03000000

static const struct {
	unsigned crt, mx;
} em_bits[] = {
	{EM_INVALID, 0x80}, {EM_DENORMAL, 0x100}, {EM_ZERODIVIDE, 0x200},
	{EM_OVERFLOW, 0x400}, {EM_UNDERFLOW, 0x800}, {EM_INEXACT, 0x1000},
};

static unsigned get_mxcsr(void)
{
	unsigned v;
	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

static void set_mxcsr(unsigned v)
{
	__asm__ volatile("ldmxcsr %0" : : "m"(v));
}

static unsigned crt_from_mxcsr(unsigned mx)
{
	unsigned w = 0;

	for (size_t i = 0; i < sizeof(em_bits) / sizeof(em_bits[0]); i++)
		if (mx & em_bits[i].mx)
			w |= em_bits[i].crt;
	w |= ((mx >> 13) & 1 ? 0x100 : 0) | ((mx >> 14) & 1 ? 0x200 : 0); /* RC: down 0x100, up 0x200 */
	if (mx & 0x8040)
		w |= 0x01000000; /* _DN_FLUSH */
	return w;
}

EXPORT unsigned _controlfp(unsigned value, unsigned mask)
{
	unsigned mx = get_mxcsr(), cur = crt_from_mxcsr(mx), w;

	mask &= MCW_EM | MCW_RC | MCW_DN; /* precision control has no meaning for SSE */
	w = (cur & ~mask) | (value & mask);
	mx &= ~(0x1f80u | 0x6000u | 0x8040u);
	for (size_t i = 0; i < sizeof(em_bits) / sizeof(em_bits[0]); i++)
		if (w & em_bits[i].crt)
			mx |= em_bits[i].mx;
	if (w & 0x100)
		mx |= 0x2000;
	if (w & 0x200)
		mx |= 0x4000;
	if (w & 0x01000000)
		mx |= 0x8040;
	set_mxcsr(mx);
	return crt_from_mxcsr(mx);
}

EXPORT unsigned _control87(unsigned value, unsigned mask)
{
	return _controlfp(value, mask);
}

/* status bits: _SW_INEXACT 1, UNDERFLOW 2, OVERFLOW 4, ZERODIVIDE 8, INVALID 0x10, DENORMAL 0x80000 */
static unsigned status_from_mxcsr(unsigned mx)
{
	unsigned s = 0;

	if (mx & 0x01) s |= 0x10;
	if (mx & 0x02) s |= 0x80000;
	if (mx & 0x04) s |= 0x8;
	if (mx & 0x08) s |= 0x4;
	if (mx & 0x10) s |= 0x2;
	if (mx & 0x20) s |= 0x1;
	return s;
}

EXPORT unsigned _statusfp(void)
{
	unsigned short sw;
	unsigned s = status_from_mxcsr(get_mxcsr());

	__asm__ volatile("fnstsw %0" : "=m"(sw));
	return s | status_from_mxcsr(sw & 0x3f);
}

EXPORT unsigned _clearfp(void)
{
	unsigned s = _statusfp();

	set_mxcsr(get_mxcsr() & ~0x3fu);
	__asm__ volatile("fnclex");
	return s;
}

EXPORT void _fpreset(void)
{
	unsigned short cw = 0x27f; /* the x64 ABI's initial x87 word: all masked, 53-bit precision */
	__asm__ volatile("fninit\n\tfldcw %0" : : "m"(cw));
	set_mxcsr(0x1f80);
}
